"""update-source on a copy of this site: seed 003 with a paragraph inserted before p15 and one word
of p16 edited. Every former @003:p15 becomes @003:p16, every former @003:p16 is flagged, nothing else changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from projects import ROOT, snapshot

from sitegen.commands.cli import main

SEED = "seeds/003_9b04b9a513738947.txt"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "site"
    for name in ("content", "seeds", "templates", "static"):
        shutil.copytree(ROOT / name, copy / name)
    shutil.copy(ROOT / "site.yaml", copy / "site.yaml")
    monkeypatch.chdir(copy)
    return copy


def new_version(site: Path) -> Path:
    passages = [line for line in (site / SEED).read_text(encoding="utf-8").split("\n") if line.strip()]
    edited = passages[15].replace(" may ", " might ", 1)
    assert edited != passages[15]
    passages[15] = edited
    passages.insert(14, "A paragraph the publisher added before the study's figures, saying the article was reviewed.")
    version = site.parent / "003-new.txt"
    version.write_text("\n\n".join(passages) + "\n", encoding="utf-8")
    return version


def renumbered(text: str) -> str:
    """`text` with the citations the update should make: @003:p15 → p16, p16 → p17 … p21 → p22, everything else the same."""
    return re.sub(r"@003:p(1[5-9]|2[01])\b", lambda match: f"@003:p{int(match.group(1)) + 1}", text)


def test_every_citation_moves_with_its_passage_and_nothing_else_changes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(site / "content")
    assert main(["update-source", "003", str(new_version(site))]) == 0, capsys.readouterr().err
    after = snapshot(site / "content")
    assert after == {name: renumbered(data.decode()).encode() for name, data in before.items()}
    assert any(b"@003:p15" in data for data in before.values())  # the test is about something


def test_every_former_p16_citation_is_flagged_for_review(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cited = {
        (f"content/{name}", number)
        for name, data in snapshot(site / "content").items()
        for number, line in enumerate(data.decode().split("\n"), start=1) if "@003:p16" in line
    }
    main(["update-source", "003", str(new_version(site))])
    capsys.readouterr()
    assert main(["check", "--strict"]) == 1
    flagged = {
        (match["path"], int(match["line"]))
        for match in re.finditer(r"^(?P<path>[^:\n]+):(?P<line>\d+): @003:p17 changed on ", capsys.readouterr().err, re.MULTILINE)
    }
    assert flagged == cited
