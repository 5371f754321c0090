"""Drafting this site's topic pages again from its two seeds: most passages the real pages cite land in
the draft of the topic whose page cites them.

The topics file names each topic page (a page of content/ with an `order`) by its title, with key
words an author planning the page would write down; it names no seed heading, so every passage is
placed by similarity alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from projects import copy_of_example_site

from sitegen.commands.draft import draft_pages
from sitegen.incremental.memo import Memo
from sitegen.load.pages import load_pages
from sitegen.pipeline import build

CITATION = re.compile(r"\[@([a-z0-9-]+):p([0-9]+)\]")
REQUIRED_SHARE = 0.80
KEYWORDS = {  # page file → what its topic is about
    "ketamine.md": ["anesthetic", "dissociative anesthetic", "medication", "depression", "anxiety", "chronic pain", "treatment option",
                    "intravenous infusion", "intramuscular injection", "nasal spray", "oral"],
    "migraine.md": ["neurological condition", "headache", "symptoms", "nausea", "sensitivity to light and sound", "episodic", "chronic",
                    "intractable", "quality of life", "daily activities", "disruption"],
    "migraine-stages.md": ["stages", "prodrome", "aura", "postdrome", "attack", "vision", "yawning", "hours"],
    "causes-and-triggers.md": ["causes", "genetic", "environmental factors", "triggers", "blood vessel", "odors", "bright lights", "weather",
                               "sleep", "alcohol", "caffeine", "foods"],
    "mechanisms.md": ["mechanisms of action", "NMDA receptor", "antagonist", "glutamate", "neurotransmitter", "pain processing", "neuroprotective",
                      "central sensitization"],
    "claims.md": ["benefits", "rapid relief", "prolonged relief", "prevention", "frequency", "medication dependency", "reliance"],
    "evidence.md": ["research", "study", "patients", "pain levels", "baseline", "participants", "days"],
    "research.md": ["clinical trials", "placebo", "reviews", "efficacy", "long-term", "further research"],
    "safety.md": ["proper administration", "monitoring", "vital signs", "side effects", "dizziness", "hallucinations",
                  "qualified healthcare professional", "supervision", "at home", "clinician"],
    "who-should-not.md": ["individualized", "medical history", "dosage", "tailored", "personalized", "contraindications", "considering treatment",
                          "suitable"],
}


def _cited_by_topic_page(root: Path, topic_urls: set[str]) -> dict[tuple[str, int], set[str]]:
    """Each seed passage a topic page cites, with the URLs of the topic pages that cite it (ranges counted passage by passage)."""
    site = build(root, Memo.off(), write=False).site
    return {
        (source_page.source.id, number): urls
        for source_page in site.source_pages
        for number, backlinks in source_page.backlinks.items()
        if (urls := {backlink.url for backlink in backlinks} & topic_urls)
    }


def _drafted_in(folder: Path) -> dict[tuple[str, int], str]:
    """Each passage a draft quotes, with the draft's slug."""
    return {
        (seed, int(number)): path.stem
        for path in folder.glob("*.md")
        for seed, number in CITATION.findall(path.read_text(encoding="utf-8"))
    }


def test_most_passages_the_topic_pages_cite_are_drafted_into_their_topic(tmp_path: Path) -> None:
    root = copy_of_example_site(tmp_path)
    topic_pages = [page for page in load_pages(root / "content") if page.order is not None]
    topics = [{"title": page.title, "slug": page.slug, "keywords": KEYWORDS.get(page.source, [])} for page in topic_pages]
    (root / "topics.yaml").write_text(yaml.safe_dump(topics, sort_keys=False), encoding="utf-8")
    cited = _cited_by_topic_page(root, {page.url for page in topic_pages})

    drafted = draft_pages(root, ["000", "003"], root / "topics.yaml")

    placed = _drafted_in(drafted.folder)
    landed = [key for key, urls in cited.items() if f"{placed.get(key)}/" in urls]
    share = len(landed) / len(cited)
    print(f"{len(landed)} of {len(cited)} passages cited by the {len(topic_pages)} topic pages ({share:.1%}) were drafted into their page's topic")
    assert len(topic_pages) >= 7 and len(cited) >= 30
    assert share >= REQUIRED_SHARE
