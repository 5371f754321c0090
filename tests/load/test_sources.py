"""Seeds and the bibliography: blocks, headings, sections, checksums, exclusions, publications."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from sitegen.core.errors import BuildError
from sitegen.load.publications import load_publications
from sitegen.load.sources import Source, load_sources

SEED = "Title Line\n\nFirst paragraph of the seed. It states something.\n\n\nSecond Heading\nA paragraph under the second heading.\n"


def seeds(tmp_path: Path, files: dict[str, str], entries: str = "", checksum: dict[str, str] | None = None) -> Path:
    """A seeds folder holding `files`, each listed in sources.yaml with its true checksum, plus `entries` per seed."""
    folder = tmp_path / "seeds"
    folder.mkdir(exist_ok=True)
    lines = []
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))
        seed_id = name.split("_")[0].removesuffix(".txt")
        digest = (checksum or {}).get(seed_id) or hashlib.sha256(text.encode("utf-8")).hexdigest()
        lines.append(
            f'"{seed_id}":\n  title: Title {seed_id}\n  publisher: Publisher\n  kind: clinic article\n  sha256: {digest}\n'
            + textwrap.indent(textwrap.dedent(entries).strip("\n"), "  ")
        )
    (folder / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def one(tmp_path: Path, text: str = SEED, entries: str = "") -> Source:
    return load_sources(seeds(tmp_path, {"001_seed.txt": text}, entries))["001"]


def problems_of(call) -> list[str]:
    with pytest.raises(BuildError) as info:
        call()
    return [str(p) for p in info.value.problems]


def test_each_non_empty_line_is_one_block_numbered_from_p1(tmp_path: Path) -> None:
    source = one(tmp_path)
    assert [p.anchor for p in source.passages] == ["p1", "p2", "p3", "p4"]
    assert source.passages[3].text == "A paragraph under the second heading."


def test_blank_lines_are_skipped_but_file_line_numbers_are_kept(tmp_path: Path) -> None:
    source = one(tmp_path)
    assert [p.line for p in source.passages] == [1, 3, 6, 7]


def test_short_line_without_full_stop_is_guessed_a_heading(tmp_path: Path) -> None:
    source = one(tmp_path)
    assert [p.is_heading for p in source.passages] == [True, False, True, False]


def test_blocks_override_turns_a_guessed_heading_into_a_paragraph_and_back(tmp_path: Path) -> None:
    source = one(tmp_path, entries="blocks:\n  p1: paragraph\n  p2: heading\n")
    assert source.passages[0].is_heading is False
    assert source.passages[1].is_heading is True


def test_block_override_with_unknown_kind_is_an_error(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED}, "blocks:\n  p1: title\n")
    assert any("block kind must be heading or paragraph" in p and ":7:" in p for p in problems_of(lambda: load_sources(folder)))


def test_each_paragraph_carries_the_heading_above_it_as_its_section(tmp_path: Path) -> None:
    source = one(tmp_path)
    assert source.passages[1].section == "Title Line"
    assert source.passages[3].section == "Second Heading"


def test_a_heading_has_no_section_and_a_paragraph_before_any_heading_has_none(tmp_path: Path) -> None:
    source = one(tmp_path, text="An opening sentence before any heading.\nHeading\n")
    assert source.passages[0].section == ""
    assert source.passages[1].section == ""


def test_a_changed_seed_is_an_error_naming_the_seed_file(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED}, checksum={"001": "ab" * 32})
    [message] = problems_of(lambda: load_sources(folder))
    assert message.startswith(str(folder / "001_seed.txt"))
    assert "seed changed" in message and "sha256" in message


def test_seed_id_is_the_file_name_prefix_before_the_underscore(tmp_path: Path) -> None:
    sources = load_sources(seeds(tmp_path, {"042_some_long_name.txt": SEED}))
    assert list(sources) == ["042"]
    assert sources["042"].file_name == "042_some_long_name.txt"


def test_excluded_passage_keeps_its_reason(tmp_path: Path) -> None:
    source = one(tmp_path, entries='exclude:\n  p2: "Advertising for the clinic, no facts"\n')
    assert source.passages[1].excluded == "Advertising for the clinic, no facts"
    assert source.passages[3].excluded == ""


def test_exclusion_without_a_specific_reason_is_an_error(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED}, "exclude:\n  p2: ads\n")
    [message] = problems_of(lambda: load_sources(folder))
    assert "needs a specific reason" in message


def test_excluding_a_passage_the_seed_does_not_have_is_an_error_at_its_line(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED}, 'exclude:\n  p9: "Navigation menu of the site"\n')
    [message] = problems_of(lambda: load_sources(folder))
    assert message.startswith(f"{folder / 'sources.yaml'}:7:")
    assert "p9 does not exist (the seed has p1-p4)" in message


def test_exclusion_key_that_is_not_a_passage_id_is_an_error(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED}, 'exclude:\n  para2: "Navigation menu of the site"\n')
    assert any("not a passage id" in p for p in problems_of(lambda: load_sources(folder)))


def test_seed_listed_in_sources_yaml_without_its_file_is_an_error(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED})
    with (folder / "sources.yaml").open("a") as stream:
        stream.write('"002":\n  title: Gone\n  publisher: P\n  kind: k\n  sha256: abc\n')
    [message] = problems_of(lambda: load_sources(folder))
    assert message.startswith(f"{folder / 'sources.yaml'}:7:")
    assert "seed '002' is listed but seeds/002_*.txt does not exist" in message


def test_seed_file_missing_from_sources_yaml_is_an_error_naming_the_file(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED})
    (folder / "002_extra.txt").write_text(SEED, encoding="utf-8")
    [message] = problems_of(lambda: load_sources(folder))
    assert message.startswith(str(folder / "002_extra.txt"))
    assert "no entry in seeds/sources.yaml" in message


def test_unquoted_numeric_seed_id_gets_a_hint_to_quote_it(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED})
    text = (folder / "sources.yaml").read_text(encoding="utf-8").replace('"001":', "001:")
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    assert any("quote ids" in p for p in problems_of(lambda: load_sources(folder)))


def test_unknown_key_in_a_seed_entry_is_an_error_at_that_key(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED}, "colour: blue\n")
    [message] = problems_of(lambda: load_sources(folder))
    assert message.startswith(f"{folder / 'sources.yaml'}:6:")
    assert "unknown key 'colour'" in message


def test_missing_required_metadata_is_an_error(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": SEED})
    text = (folder / "sources.yaml").read_text(encoding="utf-8").replace("  publisher: Publisher\n", "")
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    assert problems_of(lambda: load_sources(folder)) == [f"{folder / 'sources.yaml'}:1: missing required key 'publisher'"]


def test_every_seed_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_a.txt": SEED, "002_b.txt": SEED}, 'colour: red\nexclude:\n  p9: "Navigation menu of the site"\n')
    assert len(problems_of(lambda: load_sources(folder))) == 4


def test_date_is_kept_as_iso_text(tmp_path: Path) -> None:
    assert one(tmp_path, entries="date: 2022-07-11\n").date == "2022-07-11"


def test_seed_with_no_text_is_an_error(tmp_path: Path) -> None:
    folder = seeds(tmp_path, {"001_seed.txt": "\n\n"})
    assert any("seed is empty" in p for p in problems_of(lambda: load_sources(folder)))


BIBLIOGRAPHY = """\
schwenk2018:
  authors: [Schwenk ES, Viscusi ER]
  year: 2018
  title: Consensus guidelines on the use of intravenous ketamine.
  journal: Reg Anesth Pain Med
  volume: "43"
  issue: "5"
  pages: 456-466
  doi: 10.1097/AAP.0000000000000806
"""


def references(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "references.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_publication_is_loaded_with_a_vancouver_citation_and_doi_link(tmp_path: Path) -> None:
    publication = load_publications(references(tmp_path, BIBLIOGRAPHY), {"001"})["schwenk2018"]
    assert publication.citation == (
        "Schwenk ES, Viscusi ER. Consensus guidelines on the use of intravenous ketamine. "
        "Reg Anesth Pain Med 2018;43(5):456-466. doi:10.1097/AAP.0000000000000806"
    )
    assert publication.link == "https://doi.org/10.1097/AAP.0000000000000806"


def test_an_author_list_ending_in_et_al_has_one_full_stop(tmp_path: Path) -> None:
    text = BIBLIOGRAPHY.replace("[Schwenk ES, Viscusi ER]", '[Schwenk ES, "et al."]')
    publication = load_publications(references(tmp_path, text), {"001"})["schwenk2018"]
    assert publication.citation.startswith("Schwenk ES, et al. Consensus guidelines")


def test_no_references_file_means_no_publications(tmp_path: Path) -> None:
    assert load_publications(tmp_path / "references.yaml", set()) == {}


def test_publication_key_equal_to_a_seed_id_is_an_error(tmp_path: Path) -> None:
    path = references(tmp_path, BIBLIOGRAPHY.replace("schwenk2018:", "s001:"))
    assert any("also a seed id" in p for p in problems_of(lambda: load_publications(path, {"s001"})))


def test_publication_unknown_field_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = references(tmp_path, BIBLIOGRAPHY + "  publisher: Someone\n")
    [message] = problems_of(lambda: load_publications(path, set()))
    assert message.startswith(f"{path}:10:") and "unknown key 'publisher'" in message


def test_publication_missing_required_fields_is_an_error(tmp_path: Path) -> None:
    path = references(tmp_path, "smith2020:\n  title: A study\n  doi: 10.1/x\n")
    assert problems_of(lambda: load_publications(path, set())) == [f"{path}:1: missing required key 'authors'", f"{path}:1: missing required key 'year'"]


def test_publication_without_doi_or_url_is_an_error(tmp_path: Path) -> None:
    path = references(tmp_path, "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n")
    assert any("give a doi or a url" in p for p in problems_of(lambda: load_publications(path, set())))


def test_publication_year_must_be_a_number(tmp_path: Path) -> None:
    path = references(tmp_path, BIBLIOGRAPHY.replace("year: 2018", "year: twenty"))
    [message] = problems_of(lambda: load_publications(path, set()))
    assert message == f"{path}:3: 'year' must be a whole number, not text"
