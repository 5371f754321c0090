"""What a statement claims that its sources can be checked for: the words it quotes and the numbers
it states, read from its Markdown once what is not a claim is taken out, and the same forms read from
the passages it cites.

Not claims: citations and their locators, inline code, link and image URLs (a link's words stay),
attribute lists (`{#id}`), HTML tags, footnote references. A number that is part of a name is not
a number claim: one inside a word token that mixes letters and digits (5-HT1B, H2O, p15) or joined
by a hyphen to a word in capitals (COVID-19); a number with a lower-case unit stays one (15mg, a
24-hour day, the 3rd). A year is a number like any other: it must be in a cited passage or in the
cited entry (a seed's date, a publication's year or note). The number just before a computed marker
(`dialect.computed`) is the author's, not a source's: it is left out, and the numbers of the
marker's explanation are checked.

Normal forms: a number is its value ("1,000" = "1000", "7.50" = "7.5", "7.5" ≠ "7.8"), with a
percent sign when written with one ("90%" = "90 %" = "90 per cent" = "90 percent"); the words one to
twenty are their digits. In a passage every number word counts; in a statement, a number word counts
when it measures (followed by a unit: "three days", "five per cent"), not when it counts what the
page itself names ("one article says", "two ways", "no one"): figures taken from a source are
written as digits or with their unit. A range ("4–72", "4-72", "4 to 72") is its two ends, each checked. Quoted
words are compared in lower case, with typographic quotes, apostrophes and dashes made plain and
white space single; "…" (or "...", "[…]") in a quote parts it into pieces, each checked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..dialect.computed import MARKER
from ..resolve.citations import BRACKET

_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)
WORD_NUMBERS = {word: index for index, word in enumerate(_WORDS, start=1)}
_NOT_CLAIMS = (  # each with what any text it matches holds (most statements hold none of these)
    (re.compile(r"`[^`\n]*`"), "`"),  # code spans
    (re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"), "]("),  # a link's or image's URL and title: its words stay
    (re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE), "]:"),  # a link definition
    (re.compile(r"<(?:https?|mailto):[^>\s]*>"), "<"),  # an automatic link
    (re.compile(r"https?://\S+"), "://"),  # a bare URL
    (re.compile(r"</?[A-Za-z][^<>]*>"), "<"),  # an HTML tag (its text stays)
    (re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}"), "{"),  # an attribute list
    (re.compile(r"\[\^[^\]\n]+\]"), "[^"),  # a footnote reference
)
_QUOTED = re.compile(r"\"([^\"\n]+)\"|\u201c([^\u201c\u201d\n]+)\u201d")
_GAP = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")
_TOKEN = re.compile(r"[A-Za-z0-9\u00b5]+(?:[-\u2010\u2011][A-Za-z0-9\u00b5]+)*")
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PERCENT = r"[ \t\u00a0\u202f]*(?:%|(?i:per[ \t]?cent)\b)"
_RANGE_LINK = r"[ \t\u00a0]*(?:[-\u2010\u2011\u2012\u2013\u2014]|to|and)[ \t\u00a0]*"
_NUMERAL = re.compile(rf"(?<![\w.,])({_NUMBER})({_PERCENT})?(?![0-9A-Z_]|[.,]\d)")
_WORD_NUMERAL = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + rf")\b({_PERCENT})?", re.IGNORECASE)
_MEASURES = (
    "second", "minute", "hour", "day", "night", "week", "month", "year", "decade", "time", "dose", "point", "milligram", "microgram", "gram",
    "kilogram", "litre", "liter", "millilitre", "milliliter",
)
_MEASURED = re.compile(r"[ \t\u00a0-]+(?:" + "|".join(_MEASURES) + r")s?\b", re.IGNORECASE)
_RANGE_PERCENT = re.compile(rf"{_RANGE_LINK}(?:{_NUMBER}){_PERCENT}", re.IGNORECASE)
_NAME_PART = re.compile(r"[A-Za-z\u00b5]+\d|^\d+(?:\.\d+)?[A-Z]|^[A-Z]{2,}$")  # H2O, p15, 5HT, NMDA
_UNIT_PART = re.compile(r"^\d+(?:\.\d+)?[a-z\u00b5]*$")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
WORD_RUN = re.compile(r"\w+")  # the runs between which `\b` lies
_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " ",
})


@dataclass(frozen=True, order=True)
class Number:
    """A number as the check compares it: its value written plainly, and whether it is a percentage."""

    value: str  # "1000", "7.5"
    percent: bool = False

    def __str__(self) -> str:
        return f"{self.value}%" if self.percent else self.value


@dataclass(frozen=True)
class Claims:
    """What one statement claims: the words it quotes and the numbers it states, as written."""

    quotes: tuple[str, ...]
    numbers: tuple[tuple[Number, str], ...]  # each number with the words it was read from ("four")


def claim_text(markdown: str) -> str:
    """The words of a statement's Markdown with what is not a claim replaced by spaces (citations,
    code, URLs, tags, attribute lists, footnote references)."""
    text = BRACKET.sub(" ", markdown)
    for pattern, held in _NOT_CLAIMS:
        if held in text:
            text = pattern.sub(" ", text)
    return text


def claims(markdown: str) -> Claims:
    """The quotes and the numbers of a statement's Markdown (see the module's rules)."""
    return claims_in(claim_text(markdown))


def claims_in(text: str) -> Claims:
    """`claims` of a statement's words as `claim_text` leaves them."""
    quotes = tuple(q for match in _QUOTED.finditer(text) if (q := (match.group(1) or match.group(2)).strip()))
    return Claims(quotes, tuple(_stated_numbers(text)))


def _stated_numbers(text: str) -> list[tuple[Number, str]]:
    """The numbers a statement states, in order, but those of names and the computed ones."""
    numbers = sorted(_numerals(text), key=lambda item: item[0])
    if not numbers:
        return []
    computed = [match.start() for match in MARKER.finditer(text)]
    found = []
    names = _name_spans(text)
    for index, (start, end, number, written) in enumerate(numbers):
        if any(first <= start < last for first, last in names):
            continue
        following = numbers[index + 1][0] if index + 1 < len(numbers) else len(text)
        if any(end <= at < following and not text[end:at].strip(" \t\u00a0%") for at in computed):
            continue  # the number a computed marker explains
        found.append((number, written))
    return found


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Where the word tokens that are names lie: a token with a digit of which a part mixes letters and
    digits (5-HT1B, H2O) or is a word in capitals (COVID-19)."""
    return [token.span() for token in _TOKEN.finditer(text) if _DIGIT.search(token.group(0)) and _is_name(token.group(0))]


def _is_name(token: str) -> bool:
    """Whether `token`, which holds a digit, is a name (see `_name_spans`)."""
    parts = re.split(r"[-\u2010\u2011]", token)
    if any(_NAME_PART.search(part) or not (_UNIT_PART.match(part) or part.isalpha()) for part in parts):
        return True
    return len(parts) > 1 and any(part.isalpha() and part.isupper() and len(part) > 1 for part in parts)


def _numerals(text: str, every_word: bool = False) -> list[tuple[int, int, Number, str]]:
    """Every number of `text` (digits, and the words one to twenty: all of them with `every_word`, else
    those that measure) with its span; the first end of a range of percentages ("10–20 %") takes the
    percent sign of the second."""
    found = []
    for match in _NUMERAL.finditer(text) if _DIGIT.search(text) else ():
        percent = bool(match.group(2)) or bool(_RANGE_PERCENT.match(text, match.end()))
        found.append((match.start(), match.end(), Number(_plain_value(match.group(1)), percent), match.group(0)))
    for match in _WORD_NUMERAL.finditer(text) if not WORD_NUMBERS.keys().isdisjoint(WORD_RUN.findall(text.lower())) else ():
        if not (every_word or match.group(2) or _MEASURED.match(text, match.end())):
            continue
        found.append((match.start(), match.end(), Number(str(WORD_NUMBERS[match.group(1).lower()]), bool(match.group(2))), match.group(0)))
    return found


def _plain_value(written: str) -> str:
    """"1,000" → "1000", "7.50" → "7.5", "08" → "8"."""
    try:
        value = Decimal(written.replace(",", ""))
    except InvalidOperation:
        return written
    plain = format(value.normalize(), "f")
    return plain


@functools.lru_cache(maxsize=4096)
def held_numbers(text: str) -> frozenset[Number]:
    """Every number a passage (or a publication's entry) holds, names included: a number stated may be
    any of them. A percentage also holds its plain number. Kept per text: a passage is cited many times."""
    numbers = {number for _, _, number, _ in _numerals(text.translate(_PLAIN), every_word=True)}
    return frozenset(numbers | {Number(number.value) for number in numbers if number.percent})


def is_held(number: Number, held: set[Number]) -> bool:
    """Whether `number` is among `held`: a percentage must be held as one."""
    return number in held


def plain_words(text: str) -> str:
    """`text` as quotes are compared: lower case, quotes, apostrophes and dashes plain, white space single."""
    return _SPACE.sub(" ", text.translate(_PLAIN).lower()).strip()


passage_words = functools.lru_cache(maxsize=4096)(plain_words)  # `plain_words` of a cited text, kept: one passage is cited many times


def quote_pieces(quote: str) -> list[str]:
    """The pieces of a quote between its gaps ("…", "[…]"), each as compared, without the punctuation that ends it."""
    return [piece for part in _GAP.split(quote) if (piece := plain_words(part).strip(" .,;:!?'\""))]
