"""The example site's quotes and numbers are those of the passages they cite, and the check notices
when one of them is changed (in a copy of the project)."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import copy_of_example_site, run


def _change(path: Path, old: str, new: str) -> int:
    """Replace the one line of `path` holding `old` by its text with `new`; the line's number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    [index] = [index for index, line in enumerate(lines) if old in line and not line.lstrip().startswith("```")][:1]
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def test_the_example_site_has_no_quote_or_number_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_of_example_site(tmp_path)
    monkeypatch.chdir(root)
    code, err = run(root, ("check", "--strict"), capsys)
    assert code == 0, err
    assert "not in the cited passage" not in err


def test_a_changed_figure_and_a_changed_quoted_word_fail_check_strict_at_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = copy_of_example_site(tmp_path)
    figure_line = _change(root / "content" / "evidence.md", "7.5", "7.8")
    quote_line = _change(root / "content" / "mechanisms.md", '"has been found"', '"has been proven"')
    monkeypatch.chdir(root)
    code, err = run(root, ("check", "--strict"), capsys)
    assert code == 1
    assert f"content/evidence.md:{figure_line}: number \u201c7.8\u201d not in the cited passage" in err
    assert f"content/mechanisms.md:{quote_line}: quoted words not in the cited passage: \u201chas been proven\u201d" in err
