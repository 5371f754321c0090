"""Render keys: for each output, a digest of exactly what its templates can see.

A template, with every template it extends, imports or includes, is read once for the names it
uses (`TemplateUse`). An output's key then holds the templates' sources, the theme's files, the
settings, the build date and the engine (what every output of a template shares), and of the site
only what those templates read: the page, its menu, its neighbours in reading order, and any other
part of the site a template names (`site.glossary`, `nav`, …). Both lists are derived, not kept in
step: the names whose values follow from the URL, settings and theme alone are those
`fixed_context` returns, and the parts of the site are the fields of the site's dataclass (those it
is made from: the indexes it makes for itself follow from them). A name
of neither kind, or `site` passed around whole, makes the output depend on the whole site.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass

import jinja2

from ..core.layout import HOME_URL
from ..incremental.cache import ENGINE, dict_of, instance_of
from ..incremental.memo import Kind, Memo, digest
from ..resolve.model import ResolvedPage, Site
from .pages import Job, build_date, fixed_context, menu, site_context
from .theme import Theme

MENUS = Kind("menus", dict_of(instance_of(str), instance_of(str)))
_PER_OUTPUT = ("page", "menu")  # context names whose value differs from output to output


@dataclass(frozen=True)
class TemplateReads:
    """What one template file reads, by itself."""

    names: frozenset[str]
    references: tuple[str | None, ...]  # templates it extends, imports or includes (None: chosen at render time)
    site_attrs: frozenset[str] | None  # `site.<attr>` read; None when `site` is used as a whole


TEMPLATE = Kind("template", instance_of(TemplateReads))


@dataclass(frozen=True)
class TemplateUse:
    """What a template, with all it extends, imports and includes, can see of the site."""

    digest: str  # of the sources of all those templates
    names: frozenset[str]  # context names read
    site_attrs: frozenset[str] | None  # `site.<attr>` read; None when `site` is used as a whole


class RenderKeys:
    """The render keys of one build's outputs, for this site and theme (`theme_key`: a digest of its files)."""

    def __init__(self, site: Site, theme: Theme, theme_key: str, memo: Memo, after: RenderKeys | None = None) -> None:
        """`after`: the keys of an earlier build of this theme, whose digests of the parts of its site
        that are the very objects this site has are taken as they are."""
        self.site, self.theme, self.theme_key, self.memo = site, theme, theme_key, memo
        self._fields = tuple(field.name for field in dataclasses.fields(site) if field.init)  # the others follow from these
        self._plans: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._site_parts: dict[str, str] = {} if after is None else {
            name: known for name, known in after._site_parts.items() if name in self._fields and getattr(after.site, name) is getattr(site, name)
        }
        self._page_digests: dict[str, str] = {}
        self._menus: dict[str, str] | None = None

    def of(self, job: Job) -> str:
        """The key of one output."""
        try:
            shared, per_output = self._plan(job.template)
        except jinja2.TemplateError:
            return digest("uncacheable", os.urandom(16))  # rendering reports the template's problem
        parts: list[str | bool] = [shared, job.output, job.url, job.absolute_root]
        fingerprint = self.memo.fingerprint
        for name in per_output:
            if name == "page":
                parts += ["page", fingerprint.of(job.page)]
            elif name == "menu":
                parts += ["menu", self._menu_digest(job.url)]
            elif isinstance(job.page, ResolvedPage):  # "neighbours"
                parts += ["neighbours", fingerprint.of(self.site.neighbours(job.page))]
        return self.memo.digest(*parts)

    @property
    def templates(self) -> tuple[str, ...]:
        """The templates whose outputs these keys were found for."""
        return tuple(self._plans)

    def plan_digest(self, template: str) -> str:
        """What every output of `template` depends on alike (a template that fails to load: a digest of its failure)."""
        try:
            return self._plan(template)[0]
        except jinja2.TemplateError as exc:
            return digest("unloadable", type(exc).__name__, str(exc))

    def page_digest(self, url: str) -> str:
        """The digest of the page at `url` (of None when there is none), for outputs that looked it up."""
        known = self._page_digests.get(url)
        if known is None:
            known = self._page_digests[url] = self.memo.fingerprint.of(self.site.page(url))
        return known

    def _plan(self, template: str) -> tuple[str, tuple[str, ...]]:
        """What every output of `template` depends on alike, as one digest, and the names of what
        differs from output to output (its page, its menu, its neighbours), in order."""
        plan = self._plans.get(template)
        if plan is not None:
            return plan
        use = template_use(self.theme, self.theme_key, template, self.memo)
        fixed, of_site = self._context_names
        shared: list[str] = [ENGINE, use.digest, self.theme_key, self._site_part("settings"), str(build_date()), template]
        per_output: list[str] = []
        for name in sorted(use.names & (fixed | of_site | {"page"})):  # other names are the templates' own variables
            if name in _PER_OUTPUT:
                per_output.append(name)
            elif name == "nav":
                shared += ["nav", self._site_part("topics")]
            elif name == "site" and use.site_attrs is not None:
                for attr in sorted(use.site_attrs):
                    if attr == "neighbours":
                        per_output.append(attr)
                    elif attr != "page":  # pages looked up by URL are recorded while rendering
                        shared += [attr, self._site_part(attr if attr in self._fields else "*")]
            elif name not in fixed:
                shared += [name, self._site_part("*")]  # the whole site, or a part we do not know: depend on everything
        plan = self._plans[template] = (digest(*shared), tuple(per_output))
        return plan

    @functools.cached_property
    def _context_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The names of the fixed context and of the site's context, as the context functions make them."""
        return frozenset(fixed_context(self.site.settings, self.theme, HOME_URL)), frozenset(site_context(self.site, HOME_URL))

    def _menu_digest(self, url: str) -> str:
        """A menu follows from the topics (addresses and titles) and the page's URL: while the topics
        are unchanged, each page's menu digest is taken from the previous build (or the memo)."""
        if self._menus is None:
            topics = self._site_part("topics")
            known: dict[str, tuple[str, dict[str, str]]] = self.memo.kept("render.menus", dict)
            last = known.get("last")
            digests = last[1] if last is not None and last[0] == topics else self.memo.get(MENUS, topics) or {}
            known["last"] = (topics, digests)
            self.memo.put(MENUS, topics, digests)  # kept, with what this build adds to it
            self._menus = digests
        found = self._menus.get(url)
        if found is None:
            found = self._menus[url] = digest(*(f"{item.url}\0{item.title}\0{item.level}" for item in menu(self.site, url)))
        return found

    def _site_part(self, name: str) -> str:
        """The digest of one field of the site, or of all of them ("*")."""
        known = self._site_parts.get(name)
        if known is None:
            fields = self._fields if name == "*" else (name,)
            known = self._site_parts[name] = self.memo.fingerprint.of(*(getattr(self.site, field) for field in fields))
        return known


def template_use(theme: Theme, theme_key: str, name: str, memo: Memo) -> TemplateUse:
    """What template `name` of the theme can see, found once per theme in this process."""
    uses: dict[str, dict[str, TemplateUse]] = memo.kept("render.template_uses", dict)
    if theme_key not in uses:
        uses.clear()
        uses[theme_key] = {}
    known = uses[theme_key]
    if name not in known:
        known[name] = _template_use(theme.env, name, memo)
    return known[name]


def _template_reads(env: jinja2.Environment, name: str, source: str) -> TemplateReads:
    """From the template's tokens (cheaper than parsing it): every name it mentions (a superset of
    what it reads from the context, which only makes outputs depend on more), the `site.<attr>`
    it reads, and the templates it names after extends/import/include/from."""
    tokens = [(token.type, token.value) for token in env.lexer.tokenize(source, name)]
    names: set[str] = set()
    attrs: set[str] | None = set()
    references: list[str | None] = []
    for index, (kind, value) in enumerate(tokens):
        if kind != "name":
            continue
        names.add(value)
        following = tokens[index + 1] if index + 1 < len(tokens) else ("eof", "")
        if value == "site":
            if following[0] == "dot" and index + 2 < len(tokens) and tokens[index + 2][0] == "name":
                if attrs is not None:
                    attrs.add(tokens[index + 2][1])
            else:
                attrs = None  # `site` passed around or indexed: all of it
        elif value in ("extends", "include", "import", "from") and index and tokens[index - 1][0] == "block_begin":
            references.append(following[1] if following[0] == "string" else None)
    return TemplateReads(frozenset(names), tuple(references), frozenset(attrs) if attrs is not None else None)


def _template_use(env: jinja2.Environment, name: str, memo: Memo) -> TemplateUse:
    """Follow `extends`/`import`/`include` from template `name`; collect the names they read."""
    assert env.loader is not None
    seen: dict[str, str] = {}
    names: set[str] = set()
    attrs: set[str] | None = set()
    pending = [name]
    dynamic = False
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        source, _, _ = env.loader.get_source(env, current)
        seen[current] = source
        key = digest(ENGINE, "template", current, source)
        reads = memo.get(TEMPLATE, key)
        if reads is None:
            reads = _template_reads(env, current, source)
            memo.put(TEMPLATE, key, reads)
        names |= reads.names
        dynamic = dynamic or None in reads.references
        pending += [referenced for referenced in reads.references if referenced is not None]
        attrs = None if attrs is None or reads.site_attrs is None else attrs | reads.site_attrs
    if dynamic:  # a template chosen at render time: depend on every template
        for other in env.list_templates():
            if other not in seen:
                seen[other] = env.loader.get_source(env, other)[0]
    sources = digest(*(f"{key}\0{seen[key]}" for key in sorted(seen)))
    return TemplateUse(sources, frozenset(names), frozenset(attrs) if attrs is not None else None)
