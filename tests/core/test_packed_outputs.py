"""Packed outputs: a site's files held deflated, read back as the very bytes, compared by digest."""

from __future__ import annotations

import hashlib
import pickle

from sitegen.core.packed import Packed, PackedOutputs, held, matches, sha256_of

PAGE = b"<!doctype html><title>A page</title>" + b"<p>Some text.</p>" * 200


def test_a_packed_output_reads_back_as_the_bytes_it_was_made_from() -> None:
    assert PackedOutputs({"page/index.html": Packed.of(PAGE)})["page/index.html"] == PAGE


def test_a_packed_output_is_held_smaller_than_its_bytes() -> None:
    assert len(Packed.of(PAGE).deflated) < len(PAGE) // 4


def test_packed_outputs_equal_the_plain_outputs_they_hold() -> None:
    assert PackedOutputs({"a.html": Packed.of(PAGE), "b.css": Packed.of(b"p{}")}) == {"a.html": PAGE, "b.css": b"p{}"}


def test_the_digest_of_a_packed_output_is_the_digest_of_its_bytes() -> None:
    outputs = PackedOutputs({"a.html": Packed.of(PAGE)})
    assert sha256_of(outputs, "a.html") == hashlib.sha256(PAGE).hexdigest() == sha256_of({"a.html": PAGE}, "a.html")


def test_a_packed_output_matches_its_bytes_and_no_others_of_its_length() -> None:
    packed = Packed.of(PAGE)
    altered = PAGE[:-2] + b"X>"
    assert (matches(packed, PAGE), matches(packed, altered), matches(packed, PAGE + b"\n")) == (True, False, False)


def test_files_added_to_packed_outputs_are_packed_and_win_over_the_old_ones() -> None:
    outputs = PackedOutputs({"a.html": Packed.of(PAGE), "b.css": Packed.of(b"old")}).with_files({"b.css": b"new", "c.js": b"x"})
    assert (dict(outputs), isinstance(held(outputs, "c.js"), Packed)) == ({"a.html": PAGE, "b.css": b"new", "c.js": b"x"}, True)


def test_plain_outputs_are_held_as_their_bytes() -> None:
    assert held({"a.html": PAGE}, "a.html") is PAGE


def test_a_packed_output_survives_pickling() -> None:
    packed = Packed.of(PAGE)
    assert pickle.loads(pickle.dumps(packed)) == packed
