"""Load: the project's files (settings, seeds and bibliography, pages and glossary) become plain `Inputs`."""
