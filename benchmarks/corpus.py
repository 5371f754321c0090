"""A deterministic synthetic project for benchmarks: seeds, cited topic pages, a glossary.

`generate(target, pages)` writes a complete project (site.yaml, content/, seeds/, and the real
templates/ and static/ of this repository) whose pages look like real ones: ~680 words of front
matter, sections, lists, citations of seed passages (single, ranges, several per bracket),
cross-links to other pages' sections and glossary terms. The same `pages` always gives the same
bytes, and `check --strict` passes on it, without a warning: every seed paragraph is cited or excluded,
every statement cites a passage (the few editorial lines sit in notes) and states no number the passage
lacks, every link resolves.

Pages live in sections of up to 100 (`content/section-07/page-00712.md`), each section with a
landing page; every page has an `order`, so the topic navigation has as many entries as the site
has pages, which is what makes navigation cost grow with the site in generators that list it all.

    python benchmarks/corpus.py 1000 /some/folder
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTION_SIZE = 100
PAGES_PER_SEED = 20
SEED_SECTIONS = 8
PARAGRAPHS_PER_SEED_SECTION = 6
CITATIONS_PER_PAGE = 5
GLOSSARY_SIZE = 40

_WORDS = (
    "pain", "attack", "brain", "nerve", "signal", "treatment", "dose", "patient", "study", "effect", "symptom",
    "vessel", "light", "sound", "sleep", "stress", "hormone", "trigger", "relief", "clinic", "trial", "result",
    "week", "month", "doctor", "medicine", "therapy", "phase", "response", "change", "pattern", "record", "risk",
    "benefit", "review", "evidence", "question", "answer", "measure", "level", "system", "receptor", "channel",
    "pathway", "memory", "mood", "body", "head", "neck", "eye", "side", "day", "night", "hour", "minute",
)
_VERBS = ("affects", "reduces", "changes", "follows", "precedes", "supports", "limits", "shows", "reports", "describes")  # no hedge: see check/hedges.yaml
_ADJECTIVES = ("common", "rare", "early", "late", "mild", "severe", "short", "long", "clear", "small", "large", "frequent")
TERMS = tuple(f"term{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(GLOSSARY_SIZE))


def _sentence(rng: random.Random, words: int) -> str:
    parts = [rng.choice(_ADJECTIVES), rng.choice(_WORDS), rng.choice(_VERBS)]
    while len(parts) < words:
        parts.append(rng.choice(_WORDS) if rng.random() < 0.7 else rng.choice(("the", "a", "of", "in", "with", "and")))
    return " ".join(parts).capitalize()


def _paragraph(rng: random.Random, sentences: int, words: int = 12) -> str:
    return " ".join(f"{_sentence(rng, words)}." for _ in range(sentences))


def seed_blocks(seed: int) -> list[tuple[bool, str]]:
    """The blocks of generated seed `seed`: (is_heading, text), title first."""
    rng = random.Random(f"seed-{seed}")
    blocks = [(True, f"Generated source number {seed}")]
    for section in range(SEED_SECTIONS):
        blocks.append((True, f"Part {section + 1} about {rng.choice(_WORDS)} and {rng.choice(_WORDS)}"))
        blocks.extend((False, _paragraph(rng, 3)) for _ in range(PARAGRAPHS_PER_SEED_SECTION))
    return blocks


def seed_count(pages: int) -> int:
    return max(1, pages // PAGES_PER_SEED)


def page_path(index: int) -> str:
    """Where topic page `index` lives, relative to content/."""
    return f"section-{index // SECTION_SIZE:02d}/page-{index:05d}.md"


def _citations(index: int, pages: int) -> list[str]:
    """The citation brackets of page `index`: together the pages of a seed cite every paragraph but one."""
    seeds = seed_count(pages)
    seed = min(index // PAGES_PER_SEED, seeds - 1)
    position = index - seed * PAGES_PER_SEED
    blocks = seed_blocks(seed)
    paragraphs = [n for n, (heading, _) in enumerate(blocks, start=1) if not heading][:-1]  # the last one is excluded
    chosen = [paragraphs[(position * CITATIONS_PER_PAGE + k) % len(paragraphs)] for k in range(CITATIONS_PER_PAGE)]
    sid = f"{seed:03d}"
    brackets = [f"[@{sid}:p{n}]" for n in chosen[:3]]
    first, second = chosen[3], chosen[4]
    if second == first + 1:
        brackets.append(f"[@{sid}:p{first}-p{second}]")
    else:
        brackets.append(f"[@{sid}:p{first}; @{sid}:p{second}]")
    brackets.append(f"[@{sid}:p{chosen[0]}]")  # a second use of the first reference
    return brackets


def page_text(index: int, pages: int) -> str:
    """Topic page `index` of a site of `pages` pages: ~680 words."""
    rng = random.Random(f"page-{index}")
    citations = _citations(index, pages)
    links = sorted({(index + step) % pages for step in (1, 7, 31)} - {index})
    here = page_path(index)
    body: list[str] = []
    for section in range(4):
        body.append(f"## {rng.choice(_ADJECTIVES).capitalize()} {rng.choice(_WORDS)} {section + 1} {{#part-{section + 1}}}")
        body.append("")
        term = TERMS[(index * 3 + section) % len(TERMS)]
        text = _paragraph(rng, 5)
        body.append(f"{text[:-1]} and the {term} matters {citations[section]}. {_paragraph(rng, 3)}")
        body.append("")
        if section == 1:
            body.extend(f"- {_sentence(rng, 9)} {citations[section]}." for _ in range(4))
            body.append("")
        if section < len(links):
            target = links[section]
            relative = _relative(here, page_path(target))
            body.append(f"{_paragraph(rng, 4)} See [a related page]({relative}#part-2) for more {citations[4] if section == 0 else citations[section]}.")
        else:
            body.append(f"{_paragraph(rng, 4)} It *often* {rng.choice(_VERBS)} the **{rng.choice(_WORDS)}** {citations[section]}.")
        body.append("")
    front = (
        f"---\ntitle: Page {index} on {rng.choice(_WORDS)} and {rng.choice(_WORDS)}\n"
        f"description: A generated page number {index} for benchmarks.\norder: {index + 1}\nreviewed: 2026-01-{index % 28 + 1:02d}\n---\n"
    )
    return front + "\n".join(body)


def _relative(from_path: str, to_path: str) -> str:
    from_dir, to_dir = from_path.rsplit("/", 1)[0], to_path.rsplit("/", 1)[0]
    name = to_path.rsplit("/", 1)[1]
    return name if from_dir == to_dir else f"../{to_dir}/{name}"


def generate(target: Path, pages: int) -> Path:
    """Write a project with `pages` topic pages into `target` (replaced if it exists)."""
    if target.exists():
        shutil.rmtree(target)
    content, seeds_dir = target / "content", target / "seeds"
    content.mkdir(parents=True)
    seeds_dir.mkdir()
    shutil.copytree(REPO / "templates", target / "templates")
    shutil.copytree(REPO / "static", target / "static")
    (target / "site.yaml").write_text(
        "title: Benchmark site\ndescription: A generated site for speed measurements.\nlanguage: en\n"
        "base_url: https://bench.example.org/\noutput_dir: site\n"
        "disclaimer: This generated site is for measurements only. It is *not* medical advice.\n",
        encoding="utf-8",
    )
    meta = []
    for seed in range(seed_count(pages)):
        blocks = seed_blocks(seed)
        data = ("\n\n".join(text for _, text in blocks) + "\n").encode()
        (seeds_dir / f"{seed:03d}_generated.txt").write_bytes(data)
        meta.append(
            f'"{seed:03d}":\n  title: Generated source {seed}\n  publisher: Benchmark Press\n  date: 2024-05-01\n'
            f"  kind: generated text\n  promotional: false\n  sha256: {hashlib.sha256(data).hexdigest()}\n"
            f"  exclude:\n    p{len(blocks)}: Left out on purpose to exercise exclusions\n"
        )
    (seeds_dir / "sources.yaml").write_text("\n".join(meta), encoding="utf-8")
    glossary = [
        f"- term: {term}\n  id: {term}\n  definition: A generated word, number {n}, used to link the glossary.\n"
        for n, term in enumerate(TERMS)
    ]
    (content / "glossary.yaml").write_text("".join(glossary), encoding="utf-8")
    (content / "index.md").write_text(f"---\ntitle: Benchmark site\n---\n!!! note\n    A generated site of {pages} pages.\n", encoding="utf-8")
    for name, title in (("glossary", "Glossary"), ("sources", "Sources"), ("about", "About this site")):
        (content / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n!!! note\n    The {title.lower()} of the generated site.\n", encoding="utf-8")
    for index in range(pages):
        path = content / page_path(index)
        path.parent.mkdir(exist_ok=True)
        path.write_text(page_text(index, pages), encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/corpus.py PAGES FOLDER")
    generate(Path(sys.argv[2]), int(sys.argv[1]))
