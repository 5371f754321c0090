"""Check: findings about the rendered site (links, ids, raw HTML) and about coverage of the seeds."""
