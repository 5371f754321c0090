"""Render: the site model through the theme's templates into `{output path: bytes}`, touching no disk."""
