"""Site settings: `site.yaml` at the project root, validated into a `Settings` value."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError, Problems
from ..core.files import read_text, site_entry
from ..core.layout import CONTENT_FOLDER, SEEDS_FOLDER, SETTINGS_FILE, STATIC_FOLDER, TEMPLATES_FOLDER, output_refusal
from ..core.urls import url_problem
from .fields import Fields
from .schema import MAPPING, TEXT, TEXTS, WHOLE_NUMBER, Key, Schema, read_mapping
from .structured_data import SITE_DEFAULT, StructuredData, read_structured_data
from .yaml_files import parse_yaml

SETTINGS_SCHEMA = Schema((
    Key("title", TEXT, required=True),
    Key("description", TEXT, default=""),
    Key("language", TEXT, default="en"),
    Key("base_url", TEXT, default=""),
    Key("output_dir", TEXT, default="site"),
    Key("review_interval_months", WHOLE_NUMBER, default=12,
        check=lambda months: "" if 1 <= months <= 120 else "review_interval_months must be a whole number from 1 to 120"),
    Key("disclaimer", TEXT, default=""),
    Key("disclaimer_label", TEXT, default="Disclaimer"),
    Key("structured_data", MAPPING),
    Key("cname", TEXT, default=""),
    Key("editorial_admonitions", TEXTS),
))
# Admonitions (`!!! note`) whose text is the editors' own and needs no citation; `summary`, `example`
# and the like are left out: key points and examples state what the sources say.
EDITORIAL_ADMONITIONS = ("attention", "caution", "danger", "hint", "important", "info", "note", "tip", "warning")
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
    disclaimer_label: str = "Disclaimer"  # the words before the disclaimer ("" for none)
    structured_data: StructuredData = SITE_DEFAULT  # what every page's JSON-LD says it is and is about, unless the page says otherwise
    editorial_admonitions: tuple[str, ...] = EDITORIAL_ADMONITIONS  # admonition types whose statements need no citation (lowercase)

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
    if not isinstance(doc.data, dict):
        raise BuildError.at(path, 1, "site.yaml must be a mapping of settings (key: value)")
    problems = Problems()
    fields = Fields(path, doc, problems)
    values = read_mapping(fields, doc.data, SETTINGS_SCHEMA)
    for key in ("title", "description", "language", "base_url", "cname", "disclaimer_label"):
        values[key] = fields.text(values[key], (key,), f"setting {key!r}", default=str(SETTINGS_SCHEMA.default(key) or ""))
    editorial = _editorial_admonitions(fields, values["editorial_admonitions"])
    values["disclaimer"] = fields.markdown(values["disclaimer"], ("disclaimer",), "setting 'disclaimer'")
    structured_data = read_structured_data(fields, values["structured_data"], "structured_data").over(SITE_DEFAULT)
    base_url = _base_url(fields, values["base_url"])
    cname = values["cname"]
    if not _LANGUAGE.match(values["language"]):
        problems.add(path, doc.line("language"), f"language must be a language tag such as 'en' or 'en-GB', not {values['language']!r}")
    if cname and not _HOST_NAME.fullmatch(cname):
        problems.add(
            path, doc.line("cname"),
            f"cname must be a bare host name such as docs.example.org (lowercase letters, digits, hyphens and dots; no scheme, port or path), not {cname!r}",
        )
    _check_output_dir(fields, root, values["output_dir"])
    problems.raise_if_any()
    return Settings(
        root=root,
        title=values["title"],
        description=values["description"],
        language=values["language"],
        base_url=base_url,
        output_dir=values["output_dir"],
        review_interval_months=values["review_interval_months"],
        disclaimer=values["disclaimer"],
        cname=cname,
        disclaimer_label=values["disclaimer_label"],
        structured_data=structured_data,
        editorial_admonitions=editorial,
    )


def _editorial_admonitions(fields: Fields, value: object) -> tuple[str, ...]:
    """The admonition types whose statements need no citation, lowercase (the default when unset; `[]` for none)."""
    if value is None:
        return EDITORIAL_ADMONITIONS
    return tuple(word.lower() for word in fields.words(value, ("editorial_admonitions",), "editorial_admonitions"))


def _base_url(fields: Fields, text: str) -> str:
    """`base_url` ending in "/" ("" when unset); a relative or refused URL is a problem."""
    line = fields.doc.line("base_url")
    if text and not _ABSOLUTE_URL.match(text):
        fields.problems.add(fields.path, line, f"base_url must be an absolute http(s) URL such as https://example.org/guide/, not {text!r}")
    elif text and (refused := url_problem(text)):
        fields.problems.add(fields.path, line, f"base_url: {refused}")
    return text + "/" if text and not text.endswith("/") else text


def _check_output_dir(fields: Fields, root: Path, output_dir: str) -> None:
    line = fields.doc.line("output_dir")
    if not output_dir.strip():
        fields.problems.add(fields.path, line, "output_dir must name a folder")
    elif any(ord(character) < 32 or ord(character) == 127 for character in output_dir):
        fields.problems.add(fields.path, line, f"output_dir {output_dir!r} holds a control character: name a folder such as 'site'")
    elif refusal := output_refusal(root / output_dir, root):
        fields.problems.add(
            fields.path, line, f"output_dir {output_dir!r} {refusal}: the output folder is replaced on every build; use a folder of its own such as 'site'",
        )
