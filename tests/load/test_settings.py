"""Site settings: `site.yaml` validated, with defaults, every problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.core.errors import BuildError
from sitegen.load.settings import Settings, load_settings


def settings(tmp_path: Path, text: str) -> Settings:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return load_settings(tmp_path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(BuildError) as info:
        settings(tmp_path, text)
    return [str(p) for p in info.value.problems]


def test_defaults_fill_in_what_site_yaml_leaves_out(tmp_path: Path) -> None:
    result = settings(tmp_path, "title: Guide\n")
    assert (result.language, result.base_url, result.output_dir, result.review_interval_months) == ("en", "", "site", 12)


def test_base_url_gains_a_trailing_slash(tmp_path: Path) -> None:
    assert settings(tmp_path, "title: T\nbase_url: https://example.org/guide\n").base_url == "https://example.org/guide/"


@pytest.mark.parametrize(("base_url", "path"), [("", "/"), ("https://example.org", "/"), ("https://example.org/a/b/", "/a/b/")])
def test_base_path_is_the_path_part_of_the_base_url(tmp_path: Path, base_url: str, path: str) -> None:
    assert settings(tmp_path, f"title: T\nbase_url: '{base_url}'\n").base_path == path


def test_output_path_is_resolved_against_the_project(tmp_path: Path) -> None:
    assert settings(tmp_path, "title: T\noutput_dir: public\n").output_path == (tmp_path / "public").resolve()


@pytest.mark.parametrize("output_dir", ["\\0", "site\\n2", "\\x7f"])
def test_output_dir_with_a_control_character_is_an_error_at_its_line(tmp_path: Path, output_dir: str) -> None:
    [message] = problems(tmp_path, f'title: T\noutput_dir: "{output_dir}"\n')
    assert message.startswith(f"{tmp_path / 'site.yaml'}:2: output_dir ") and message.endswith("holds a control character: name a folder such as 'site'")


def test_missing_settings_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="settings file missing"):
        load_settings(tmp_path)


def test_missing_title_is_an_error(tmp_path: Path) -> None:
    assert problems(tmp_path, "language: en\n") == [f"{tmp_path / 'site.yaml'}:1: missing required key 'title'"]


def test_unknown_setting_is_an_error_at_its_line(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "title: T\nthemes: dark\n")
    assert message.startswith(f"{tmp_path / 'site.yaml'}:2: unknown key 'themes'; allowed: ")


def test_relative_base_url_is_an_error(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "title: T\nbase_url: /guide/\n")
    assert ":2: base_url must be an absolute http(s) URL" in message


def test_bad_language_tag_is_an_error(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "title: T\nlanguage: english language\n")
    assert ":2: language must be a language tag" in message


def test_review_interval_out_of_range_is_an_error(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "title: T\nreview_interval_months: 0\n")
    assert ":2: review_interval_months must be a whole number from 1 to 120" in message


def test_settings_that_are_not_a_mapping_are_an_error(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "- title\n")
    assert "site.yaml must be a mapping" in message


def test_every_settings_problem_is_reported_together(tmp_path: Path) -> None:
    assert len(problems(tmp_path, "themes: dark\nlanguage: 12\nbase_url: ftp://x\n")) == 4
