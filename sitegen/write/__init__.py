"""Write: the outputs into the output folder, staged and swapped in atomically; the search index."""
