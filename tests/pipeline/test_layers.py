"""The engine's stages import only the stages before them (the layers contract in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from projects import ROOT


def test_the_layers_contract_is_kept() -> None:
    command = shutil.which("lint-imports")
    assert command is not None, "import-linter is part of the test extras: pip install -e '.[test]'"
    environment = {"PYTHONPATH": str(ROOT), "PATH": str(Path(sys.executable).parent)}
    run = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False, env=environment)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout
