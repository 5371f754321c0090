"""The Nu Html Checker (npm `vnu-jar`, run with Java) reports no error on any page of each
checked site: the project's own (`example`) and the one `sitegen new` writes (`demo`).

The jar is looked for in `$VNU_JAR`, then in the project's git-ignored `.cache/vnu/` (where
`.ci/run` installs it: `npm install --prefix .cache/vnu vnu-jar`), then in npm's global folder.
Without it the test skips with that hint, except under CI (`CI=true`), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from served_sites import ServedSite

ROOT = Path(__file__).resolve().parents[2]
JAR_IN_PACKAGE = Path("vnu-jar", "build", "dist", "vnu.jar")
HINT = "install the Nu Html Checker with: npm install --prefix .cache/vnu vnu-jar (needs Java)"


def find_vnu_jar() -> Path | None:
    candidates = []
    if os.environ.get("VNU_JAR"):
        candidates.append(Path(os.environ["VNU_JAR"]))
    candidates.append(ROOT / ".cache" / "vnu" / "node_modules" / JAR_IN_PACKAGE)
    npm = shutil.which("npm")
    if npm:
        done = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()) / JAR_IN_PACKAGE)
    return next((c for c in candidates if c.is_file()), None)


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    jar, java = find_vnu_jar(), shutil.which("java")
    missing = "the vnu.jar of npm vnu-jar" if jar is None else "java" if java is None else ""
    if missing:
        message = f"{missing} not found: {HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return [str(java), "-jar", str(jar)]


def test_no_page_has_html_errors(vnu: list[str], each_site: ServedSite) -> None:
    built_site = each_site.folder
    pages = sorted(p for p in built_site.rglob("*.html") if "pagefind" not in p.relative_to(built_site).parts)
    assert pages
    done = subprocess.run([*vnu, "--errors-only", "--format", "json", *map(str, pages)], capture_output=True, text=True, check=False)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    where = str(built_site.resolve())
    errors = [f"{m.get('url', '').split(where)[-1]}:{m.get('lastLine', 0)}: {m['message']}" for m in messages if m.get("type") == "error"]
    assert errors == []
