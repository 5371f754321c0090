"""The example site's YAML files and front matter read alike by libyaml and the pure-Python parser,
so the build reads them with the fast one and means the same."""

from __future__ import annotations

import pytest
from projects import ROOT
from yaml_parsers import needs_libyaml, read_by_both

from sitegen.core.files import read_text
from sitegen.load import yaml_files


def front_matters() -> list[tuple[str, str]]:
    """The front matter of every page in content/, by file name."""
    found = []
    for page in sorted((ROOT / "content").rglob("*.md")):
        lines = read_text(page, ROOT).split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
        found.append((page.name, "\n".join(lines[1:end])))
    return found


@needs_libyaml
@pytest.mark.parametrize("name", ["site.yaml", "content/glossary.yaml", "content/references.yaml", "seeds/sources.yaml"])
def test_the_projects_yaml_files_read_alike_by_both_parsers(name: str) -> None:
    text = read_text(ROOT / name, ROOT)
    assert yaml_files._libyaml_reads_like_pure(text)
    fast, pure = read_by_both(text)
    assert fast is not None
    assert (fast.data, fast.key_lines) == (pure.data, pure.key_lines)


@needs_libyaml
def test_the_projects_front_matter_reads_alike_by_both_parsers() -> None:
    for name, text in front_matters():
        assert yaml_files._libyaml_reads_like_pure(text), name
        fast, pure = read_by_both(text, first_line=2)
        assert fast is not None, name
        assert (fast.data, fast.key_lines) == (pure.data, pure.key_lines), name
