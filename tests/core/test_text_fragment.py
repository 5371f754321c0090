"""Text fragments: a link that makes the browser scroll to a passage of the original page and highlight it."""

from __future__ import annotations

from urllib.parse import unquote

from sitegen.core.urls import text_fragment


def test_a_long_passage_is_named_by_its_first_and_last_words() -> None:
    link = text_fragment("https://example.org/a", "One two three four five six seven eight nine ten.")
    assert link == "https://example.org/a#:~:text=One%20two%20three%20four,seven%20eight%20nine%20ten."


def test_a_short_passage_is_named_whole() -> None:
    assert text_fragment("https://example.org/a", "Short heading") == "https://example.org/a#:~:text=Short%20heading"


def test_hyphens_commas_and_ampersands_are_percent_encoded() -> None:
    directive = text_fragment("https://example.org/a", "well-known, salt & pepper").split("#:~:text=", 1)[1]
    assert "-" not in directive and "," not in directive and "&" not in directive
    assert unquote(directive) == "well-known, salt & pepper"


def test_a_fragment_the_address_already_has_is_kept_before_the_directive() -> None:
    assert text_fragment("https://example.org/a#part", "Words").endswith("/a#part:~:text=Words")


def test_non_ascii_letters_are_encoded_as_utf8() -> None:
    assert text_fragment("https://example.org/a", "don’t").endswith("text=don%E2%80%99t")
