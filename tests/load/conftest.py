"""The fixtures of a small valid project whose data files a test rewrites (see data_files.py)."""

from data_files import data_project_once, project  # noqa: F401 (fixtures)
