"""The coverage findings of a rendered site: every seed paragraph neither cited by a page nor excluded
is a problem at its line of the seed; and the tables `check` prints, both ways: per seed, its
passages cited, excluded and uncited (the count itself is resolve's), then per page, its statements
cited, editorial and uncited (see `statements`)."""

from __future__ import annotations

from ..core.errors import Problem
from ..core.layout import SEEDS_FOLDER, SOURCES_FILE
from ..resolve.coverage import coverage
from ..resolve.model import Site
from .statements import statement_counts


def coverage_problems(site: Site) -> list[Problem]:
    problems = []
    for row in coverage(site):
        source = site.sources[row.source_id]
        for number in row.uncited:
            passage = source.passage(number)
            assert passage is not None
            problems.append(Problem.at(
                site.settings.seeds_dir / source.file_name, passage.line,
                f"p{number} is neither cited by any page nor excluded in {SEEDS_FOLDER}/{SOURCES_FILE}",
            ))
    return problems


def coverage_table(site: Site) -> str:
    lines = [f"{'seed':<6} {'passages':>8} {'paragraphs':>10} {'cited':>6} {'excluded':>8} {'uncited':>7}"]
    for row in coverage(site):
        lines.append(f"{row.source_id:<6} {row.passages:>8} {row.paragraphs:>10} {row.cited:>6} {row.excluded:>8} {len(row.uncited):>7}")
    counts = statement_counts(site)
    width = max([len("page"), *(len(count.source) for count in counts)])
    lines += ["", f"{'page':<{width}} {'statements':>10} {'cited':>6} {'editorial':>9} {'uncited':>7}"]
    for count in counts:
        total = count.cited + count.editorial + count.uncited
        lines.append(f"{count.source:<{width}} {total:>10} {count.cited:>6} {count.editorial:>9} {count.uncited:>7}")
    return "\n".join(lines)
