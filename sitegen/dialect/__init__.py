"""Our Markdown dialect: input limits, the linear inline walk, footnotes, and the HTML-free Markdown of data files."""
