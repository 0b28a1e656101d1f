"""Cleaning one article's text: Unicode and whitespace, the title line, site boilerplate, wire sign-offs."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from pipeline.reference import load_reference

# Invisible or control characters that carry no text (zero-width, BOM, C0/C1 controls but \n and \t).
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_OTHER_SPACES = r"\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # a line's spaces besides " "
# A run of spaces collapses to one " ". A run that is already one " " (every gap between two words) is left
# unmatched, so `sub` replaces only the runs it changes (a match per word cost ~0.2 ms an article): a run matches
# from its first character when that is not " " (the look-behind) or when a second space follows. Opening with a
# character class lets the regex engine skip to the next space character in C.
_SPACES = re.compile(rf"[ {_OTHER_SPACES}](?:(?<=[{_OTHER_SPACES}])|[ {_OTHER_SPACES}])[ {_OTHER_SPACES}]*")
_SENTENCE_END = re.compile(r"[.!?;:,]['\"\u2019\u201d)]*$")
TITLE_MAX_WORDS = 20
TITLE_MAX_CHARS = 200
#: A last line this short, every word capitalised and without sentence punctuation, is the site's name
#: printed under the article ("Gulf Observer Online"), not text.
SIGNATURE_MAX_WORDS = 5
#: A bare date line ("August 8, 2025") is the page's time stamp only among the first lines of the body (headline,
#: byline, date, dateline); further down a date alone on a line heads a section of a timeline.
DATE_LINE_WITHIN = 4


@dataclass
class CleanText:
    title: str | None
    text: str
    removed_lines: list[str] = field(default_factory=list)
    publisher: str | None = None
    stamped_date: date | None = None  # the page's own time stamp, for an article that has no date otherwise


def normalise(text: str) -> str:
    """NFC, no invisible/control characters, runs of spaces collapsed, CRLF -> LF, lines stripped.

    Invisible characters go before NFC: one between a letter and its accent would otherwise block composing
    them, and its removal would leave the text decomposed.
    """
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = unicodedata.normalize("NFC", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


@functools.lru_cache(maxsize=1)
def _rules():
    ref = load_reference("boilerplate")
    lines = re.compile("|".join(f"(?:{p})" for p in ref["line_patterns"]), re.IGNORECASE)
    agencies = "|".join(f"(?:{a['pattern']})" for a in ref["wire_agencies"])
    # The sign-off is searched from its first dash: a pattern opening with `\s*` is tried at every character of the
    # text, one opening with a plain character class only where a dash is (the engine skips to it in C; `[-]+` would
    # not be skipped to). wire_signoff drops the whitespace before the dash.
    signoff = re.compile(rf"[-\u2013\u2014][-\u2013\u2014]*\s*({agencies})\s*$")
    names = [(re.compile(rf"^(?:{a['pattern']})$"), a["name"]) for a in ref["wire_agencies"]]
    headers = re.compile("|".join(f"(?:{p})" for p in ref.get("list_headers") or []) or r"(?!)", re.IGNORECASE)
    stamp = re.compile(ref.get("date_stamp") or r"(?!)", re.IGNORECASE)
    bare = re.compile(ref.get("date_line") or r"(?!)", re.IGNORECASE)
    return lines, signoff, names, headers, stamp, bare


def stamped_date(removed: list[str]) -> date | None:
    """The date of the first removed line that is the page's time stamp (labelled, or a bare date line), read
    day-first by dateparser."""
    import dateparser

    for line in removed:
        m = _rules()[4].fullmatch(line.strip()) or _rules()[5].fullmatch(line.strip())
        if m:
            found = dateparser.parse(m.group("date"), languages=["en"],
                                     settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]})
            if found is not None:
                return found.date()
    return None


def is_boilerplate(line: str) -> bool:
    return bool(_rules()[0].fullmatch(line.strip()))


def split_date_line(body: list[str]) -> tuple[list[str], list[str]]:
    """(body, [the bare date line]) when one of the first DATE_LINE_WITHIN lines is a date and nothing else."""
    for i, line in enumerate(body[:DATE_LINE_WITHIN] if len(body) > 1 else []):
        if _rules()[5].fullmatch(line.strip()):
            return body[:i] + body[i + 1:], [line]
    return body, []


def is_list_header(line: str) -> bool:
    """'Related stories', 'Most read': a list of other stories' headlines follows."""
    return bool(_rules()[3].fullmatch(line.strip()))


def reads_as_headline(line: str) -> bool:
    """Short and without sentence-final punctuation: another story's headline, not a paragraph."""
    return looks_like_title(line, ["-"])


def split_boilerplate(lines: list[str]) -> tuple[list[str], list[str]]:
    """(body lines, removed lines): boilerplate lines, and after a list header the headlines it lists."""
    body, removed, listing = [], [], False
    for line in lines:
        if is_list_header(line):
            removed.append(line)
            listing = True
        elif is_boilerplate(line):
            removed.append(line)
        elif listing and reads_as_headline(line):
            removed.append(line)
        else:
            listing = False
            body.append(line)
    while len(body) > 1 and _signature(body[-1]):
        removed.append(body.pop())
    return body, removed


def _signature(line: str) -> bool:
    words = line.split()
    return (0 < len(words) <= SIGNATURE_MAX_WORDS and not _SENTENCE_END.search(line)
            and all(w[:1].isupper() or not w[:1].isalpha() for w in words) and any(c.isalpha() for c in line))


def looks_like_title(line: str, rest: list[str]) -> bool:
    """A short first line that reads as a headline: no sentence-final punctuation, more text after it."""
    words = line.split()
    return (bool(rest) and 0 < len(words) <= TITLE_MAX_WORDS and len(line) <= TITLE_MAX_CHARS
            and not _SENTENCE_END.search(line) and any(ch.isalpha() for ch in line))


def wire_signoff(text: str) -> tuple[str, str | None, str | None]:
    """(text without the sign-off, the sign-off as written, the agency's name). The sign-off is its dashes, the
    agency and the whitespace around them; the whitespace before the dashes goes with the text's `rstrip`."""
    _, signoff, names, _, _, _ = _rules()
    m = signoff.search(text)
    if not m:
        return text, None, None
    agency = next((name for rx, name in names if rx.match(m.group(1))), m.group(1))
    return text[:m.start()].rstrip(), m.group().strip(), agency


def clean_article(raw: str, title: str | None = None, detect_title: bool = True) -> CleanText:
    """Clean raw article text. `title` given by metadata wins; else a headline-like first line is the title."""
    lines = [line for line in normalise(raw).split("\n") if line]
    body, removed = split_boilerplate(lines)
    body, dated = split_date_line(body)  # before the title: a date first line is no headline
    removed += dated
    if body and title and normalise(title) == body[0]:
        body = body[1:]
    elif body and not title and detect_title and looks_like_title(body[0], body[1:]):
        title, body = body[0], body[1:]
    text = "\n".join(body)
    text, signoff, agency = wire_signoff(text)
    if signoff:
        removed.append(signoff)
    return CleanText(normalise(title) if title else None, text, removed, agency, stamped_date(removed))
