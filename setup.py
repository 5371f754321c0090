"""Packaging beyond what pyproject.toml can say: the default theme ships in the package.

The repository's top-level templates/ and static/ are the theme's source; the wheel carries them as
the data folders sitegen/default_theme/templates/ and sitegen/default_theme/static/ (read with
importlib.resources, see sitegen/render/bundled.py)."""

from setuptools import find_packages, setup

THEME = {"sitegen.default_theme.templates": "templates", "sitegen.default_theme.static": "static"}

setup(packages=[*find_packages(include=["sitegen", "sitegen.*"]), *THEME], package_dir=THEME)
