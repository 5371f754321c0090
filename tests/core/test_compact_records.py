"""Compact records: dataclasses with slots that pickle as their fields, and make no attribute dictionary."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field

import pytest

from sitegen.core.records import compact


@compact
@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0
    label: str = ""


@compact
@dataclass(frozen=True, slots=True)
class Single:
    value: str


def test_a_compact_record_pickles_to_an_equal_record() -> None:
    point = Point(1, 2, "a")
    assert pickle.loads(pickle.dumps(point, protocol=pickle.HIGHEST_PROTOCOL)) == point


def test_a_compact_record_of_one_field_pickles_to_an_equal_record() -> None:
    assert pickle.loads(pickle.dumps(Single("only"))) == Single("only")


def test_a_compact_record_has_no_attribute_dictionary_before_or_after_pickling() -> None:
    point = Point(1)
    pickle.dumps(point)
    assert not hasattr(point, "__dict__") and not hasattr(pickle.loads(pickle.dumps(point)), "__dict__")


def test_a_dataclass_without_slots_is_refused() -> None:
    with pytest.raises(TypeError):
        compact(dataclass(frozen=True)(type("Plain", (), {"__annotations__": {"x": int}})))


def test_a_dataclass_with_a_field_its_constructor_does_not_set_is_refused() -> None:
    @dataclass(frozen=True, slots=True)
    class Derived:
        x: int
        twice: int = field(init=False, default=0)

    with pytest.raises(TypeError):
        compact(Derived)
