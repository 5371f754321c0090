"""Site settings: `site.yaml` at the project root, validated into a `Settings` value."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError, Problems
from ..core.files import parse_yaml, read_text, site_entry
from ..core.layout import CONTENT_FOLDER, SEEDS_FOLDER, SETTINGS_FILE, STATIC_FOLDER, TEMPLATES_FOLDER, output_refusal
from ..core.urls import url_problem
from .fields import Fields, describe

_DEFAULTS: dict[str, object] = {
    "description": "",
    "language": "en",
    "base_url": "",
    "output_dir": "site",
    "review_interval_months": 12,
    "disclaimer": "",
    "cname": "",
}
_REQUIRED = ("title",)
_ABSOLUTE_URL = re.compile(r"^https?://[^/\s?#]+(/[^\s?#]*)?$")
_HOST_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Settings:
    """Everything `site.yaml` says, with defaults filled in."""

    root: Path
    title: str
    description: str
    language: str
    base_url: str  # absolute, ending in "/", or "" when unset
    output_dir: str
    review_interval_months: int
    disclaimer: str  # Markdown
    cname: str = ""  # the custom domain of a GitHub Pages site ("" when unset), written to CNAME by deploy

    @property
    def content_dir(self) -> Path:
        return self.root / CONTENT_FOLDER

    @property
    def seeds_dir(self) -> Path:
        return self.root / SEEDS_FOLDER

    @property
    def templates_dir(self) -> Path:
        return self.root / TEMPLATES_FOLDER

    @property
    def static_dir(self) -> Path:
        return self.root / STATIC_FOLDER

    @property
    def output_path(self) -> Path:
        """The output folder, resolved, or the link that names it where builds swap a link (see `swap`)."""
        return site_entry(self.root / self.output_dir)

    @property
    def base_path(self) -> str:
        """The path part of `base_url` ("/" when unset): where the site lives on its host."""
        if not self.base_url:
            return "/"
        return "/" + self.base_url.split("://", 1)[1].partition("/")[2]


def load_settings(root: Path) -> Settings:
    """Read and validate `site.yaml` under `root`."""
    path = root / SETTINGS_FILE
    if not os.path.lexists(path):
        raise BuildError.at(path, 0, "settings file missing: create site.yaml with at least a title")
    doc = parse_yaml(read_text(path, root), path)
    data = doc.data
    if not isinstance(data, dict):
        raise BuildError.at(path, 1, "site.yaml must be a mapping of settings (key: value)")
    problems = Problems()
    allowed = set(_DEFAULTS) | set(_REQUIRED)
    for key in data:
        if key not in allowed:
            problems.add(path, doc.line(key), f"unknown setting {key!r}; known: {', '.join(sorted(allowed))}")
    fields = Fields(path, doc, problems)
    for key in _REQUIRED:
        if data.get(key) is None or (isinstance(data[key], str) and not data[key].strip()):
            problems.add(path, doc.line(key), f"setting {key!r} is required and must be text")
    values = {**_DEFAULTS, **{k: v for k, v in data.items() if k in allowed}}
    for key in ("title", "description", "language", "base_url", "cname"):
        values[key] = fields.text(values.get(key), (key,), f"setting {key!r}", default=str(_DEFAULTS.get(key, "")))
    if not isinstance(values["output_dir"], str):  # its control characters have a message of their own, below
        problems.add(path, doc.line("output_dir"), f"setting 'output_dir' must be text, not {describe(values['output_dir'])}")
        values["output_dir"] = str(_DEFAULTS["output_dir"])
    values["disclaimer"] = fields.markdown(values["disclaimer"], ("disclaimer",), "setting 'disclaimer'")
    months = values["review_interval_months"]
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        problems.add(path, doc.line("review_interval_months"), "review_interval_months must be a whole number from 1 to 120")
        values["review_interval_months"] = 12
    base_url = str(values["base_url"]).strip()
    if base_url and not _ABSOLUTE_URL.match(base_url):
        problems.add(path, doc.line("base_url"), f"base_url must be an absolute http(s) URL such as https://example.org/guide/, not {base_url!r}")
    elif base_url and (refused := url_problem(base_url)):
        problems.add(path, doc.line("base_url"), f"base_url: {refused}")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    if not _LANGUAGE.match(str(values["language"])):
        problems.add(path, doc.line("language"), f"language must be a language tag such as 'en' or 'en-GB', not {values['language']!r}")
    cname = str(values["cname"]).strip()
    if cname and not _HOST_NAME.fullmatch(cname):
        problems.add(
            path, doc.line("cname"),
            f"cname must be a bare host name such as docs.example.org (lowercase letters, digits, hyphens and dots; no scheme, port or path), not {cname!r}",
        )
    if not str(values["output_dir"]).strip():
        problems.add(path, doc.line("output_dir"), "output_dir must name a folder")
    elif any(ord(character) < 32 or ord(character) == 127 for character in str(values["output_dir"])):
        problems.add(path, doc.line("output_dir"), f"output_dir {values['output_dir']!r} holds a control character: name a folder such as 'site'")
    elif refusal := output_refusal(root / str(values["output_dir"]), root):
        problems.add(
            path, doc.line("output_dir"),
            f"output_dir {values['output_dir']!r} {refusal}: the output folder is replaced on every build; use a folder of its own such as 'site'",
        )
    problems.raise_if_any()
    return Settings(
        root=root,
        title=str(values["title"]).strip(),
        description=str(values["description"]).strip(),
        language=str(values["language"]),
        base_url=base_url,
        output_dir=str(values["output_dir"]),
        review_interval_months=int(months),
        disclaimer=str(values["disclaimer"]).strip(),
        cname=cname,
    )
