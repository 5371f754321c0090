"""Resolve: the loaded inputs become the site model, with citations numbered, Markdown converted and navigation ordered."""
