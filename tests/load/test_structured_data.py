"""`structured_data` (in site.yaml and in front matter) and `disclaimer_label` (in site.yaml): read
into their values, with neutral defaults; a value that is not right is one `path:line: message`."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.core.errors import BuildError
from sitegen.load.pages import parse_page
from sitegen.load.settings import Settings, load_settings
from sitegen.load.structured_data import StructuredData, Thing

SITE = "title: Test site\n"


def settings_of(tmp_path: Path, text: str) -> Settings:
    (tmp_path / "site.yaml").write_text(SITE + text, encoding="utf-8")
    return load_settings(tmp_path)


def settings_problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(BuildError) as info:
        settings_of(tmp_path, text)
    return [f"{p.line}: {p.message}" for p in info.value.problems]


def page_of(tmp_path: Path, front: str) -> StructuredData:
    path = tmp_path / "content" / "topic.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: T\n{front}---\nBody.\n", encoding="utf-8")
    return parse_page(path, "topic.md").structured_data


def test_without_settings_pages_are_web_pages_about_nothing(tmp_path: Path) -> None:
    assert settings_of(tmp_path, "").structured_data == StructuredData("WebPage", ())


def test_the_settings_give_a_type_and_things_with_their_types(tmp_path: Path) -> None:
    data = settings_of(tmp_path, "structured_data:\n  type: Article\n  about:\n    - {type: Place, name: Harbour}\n").structured_data
    assert data == StructuredData("Article", (Thing("Place", "Harbour"),))


def test_a_name_alone_is_a_thing(tmp_path: Path) -> None:
    assert settings_of(tmp_path, "structured_data:\n  about: [Tides]\n").structured_data == StructuredData("WebPage", (Thing("Thing", "Tides"),))


def test_a_name_without_a_type_is_a_thing(tmp_path: Path) -> None:
    assert settings_of(tmp_path, "structured_data:\n  about: [{name: Tides}]\n").structured_data == StructuredData("WebPage", (Thing("Thing", "Tides"),))


def test_a_page_leaves_what_it_does_not_set_to_the_site(tmp_path: Path) -> None:
    assert page_of(tmp_path, "") == StructuredData(None, None)
    assert page_of(tmp_path, "structured_data:\n  about: []\n") == StructuredData(None, ())


def test_a_type_that_is_not_a_schema_org_name_is_an_error_at_its_line(tmp_path: Path) -> None:
    problems = settings_problems(tmp_path, "structured_data:\n  type: 'Web</script>'\n")
    assert len(problems) == 1 and problems[0].startswith("3: type must be a schema.org type name")


def test_a_things_type_that_is_not_a_schema_org_name_is_an_error_at_its_line(tmp_path: Path) -> None:
    problems = settings_problems(tmp_path, "structured_data:\n  about:\n    - {type: 'a b', name: X}\n")
    assert len(problems) == 1 and problems[0].startswith("4: type must be a schema.org type name")


def test_a_thing_without_a_name_is_an_error_at_its_line(tmp_path: Path) -> None:
    assert settings_problems(tmp_path, "structured_data:\n  about:\n    - {type: Place}\n") == ["4: missing required key 'name'"]


def test_an_unknown_key_of_structured_data_is_an_error_naming_the_allowed_keys(tmp_path: Path) -> None:
    assert settings_problems(tmp_path, "structured_data:\n  typ: Article\n") == ["3: unknown key 'typ'; allowed: about, type; did you mean 'type'?"]


def test_about_that_is_not_a_list_is_an_error_at_its_line(tmp_path: Path) -> None:
    assert settings_problems(tmp_path, "structured_data:\n  about: Tides\n") == ["3: 'about' must be a list, not text"]


def test_structured_data_that_is_not_a_mapping_is_an_error_at_its_line(tmp_path: Path) -> None:
    assert settings_problems(tmp_path, "structured_data: WebPage\n") == ["2: 'structured_data' must be a mapping, not text"]


def test_an_entry_of_about_that_is_neither_a_name_nor_a_mapping_is_an_error(tmp_path: Path) -> None:
    problems = settings_problems(tmp_path, "structured_data:\n  about:\n    - 7\n")
    assert problems == ["4: each entry of about must be a name or a mapping of type and name, not a whole number"]


def test_a_name_with_a_control_character_is_an_error_at_its_line(tmp_path: Path) -> None:
    problems = settings_problems(tmp_path, 'structured_data:\n  about:\n    - "Ti\\u0007des"\n')
    assert problems == ["4: a name of about holds the control character U+0007: remove it"]


def test_a_front_matter_problem_is_reported_at_the_line_of_the_page(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as info:
        page_of(tmp_path, "structured_data:\n  type: lowercase\n")
    assert [p.line for p in info.value.problems] == [4]


def test_the_disclaimer_label_is_disclaimer_unless_set(tmp_path: Path) -> None:
    assert settings_of(tmp_path, "").disclaimer_label == "Disclaimer"
    assert settings_of(tmp_path, "disclaimer_label: Notice\n").disclaimer_label == "Notice"


def test_a_disclaimer_label_that_is_not_text_is_an_error_at_its_line(tmp_path: Path) -> None:
    assert settings_problems(tmp_path, "disclaimer_label: [a]\n") == ["2: 'disclaimer_label' must be text, not a list"]
