"""YAML read by both parsers the build may use: libyaml where PyYAML has it, and the pure-Python one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sitegen.load import yaml_files
from sitegen.load.yaml_files import YamlDocument

needs_libyaml = pytest.mark.skipif(getattr(yaml, "CSafeLoader", None) is None, reason="PyYAML built without libyaml")


def read_by_both(text: str, first_line: int = 1) -> tuple[YamlDocument | None, YamlDocument]:
    """`text` read by libyaml (None where it declines) and by the pure-Python parser."""
    path = Path("doc.yaml")
    return yaml_files._parse_with_libyaml(yaml.CSafeLoader, text, path, first_line), yaml_files._parse_with_pure_python(text, path, first_line)
