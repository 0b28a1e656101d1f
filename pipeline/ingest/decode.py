"""Bytes -> text: UTF-8 first, else a detected legacy encoding (recorded); binary input is refused.

What decoding had to do beyond one encoding is said, never done silently: a UTF-8 file with lines in a legacy
encoding (a cp1252 tail pasted in) is decoded line by line ("utf-8+cp1252"), and text that was already garbled
before it was saved (mojibake, "ZÃ¼rich") is repaired with ftfy.fix_encoding; `Decoded.repair` says which.
"""
from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from charset_normalizer import from_bytes


class Decoded(NamedTuple):
    text: str
    encoding: str
    repair: str | None = None  # what was done beyond decoding with `encoding`, in words; None when nothing


class Undecodable(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _mostly_controls(codes: list[int]) -> bool:
    """NUL, or over 5% control characters (tab, newlines and form feed aside): not text."""
    controls = sum(1 for c in codes if c < 32 and c not in (9, 10, 12, 13))
    return 0 in codes or (bool(codes) and controls / len(codes) > 0.05)


# The bytes _mostly_controls counts: C0 controls but tab, newlines and form feed.
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    """Judged on the first 8 KiB, as `_mostly_controls` judges them (NUL, or over 5% control bytes); counted by
    deleting the control bytes in C rather than in a Python loop over 8,192 ints."""
    head = data[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return b"\x00" in head or (bool(head) and controls / len(head) > 0.05)


# When the detector scores several encodings equally (short texts often do), the commoner one on the web wins.
PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "iso8859_2", "cp1250", "gb18030", "big5",
             "shift_jis", "euc_kr")


def _best_guess(data: bytes):
    candidates = list(from_bytes(data))
    if not candidates:
        return None
    chaos = min(c.chaos for c in candidates)
    coherence = max(c.coherence for c in candidates if c.chaos <= chaos + 0.01)
    # A few accented letters in much ASCII (or markup) leave cp1250 and cp1252 within a few hundredths.
    tied = [c for c in candidates if c.chaos <= chaos + 0.01 and c.coherence >= coherence - 0.05]
    rank = {name: i for i, name in enumerate(PREFERRED)}
    return min(tied, key=lambda c: rank.get(c.encoding, len(rank)))


# UTF-16/32 text is full of NUL bytes, so its byte-order mark is looked for before the binary test.
# UTF-32 first: its little-endian mark starts with UTF-16's.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


# An HTML page's own <meta charset="..."> or http-equiv declaration, looked for near the top.
_DECLARED = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _declared(data: bytes) -> tuple[str, str] | None:
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    try:
        encoding = codecs.lookup(m.group(1).decode("ascii")).name
        return data.decode(encoding), encoding
    except (LookupError, UnicodeDecodeError):  # an unknown or wrong declaration: detect instead
        return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark: NUL bytes on one side of most pairs (Latin-script text), and
    the decoded text is not control characters. None when the bytes do not read so."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for nuls, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= len(head) // 4 and others <= nuls // 20:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if _mostly_controls([ord(ch) for ch in text[:8192]]) else (text, encoding)
    return None


def _mixed_lines(data: bytes) -> Decoded | None:
    """UTF-8 with some lines in another encoding: the UTF-8 lines as UTF-8, the others in the encoding detected
    on them together. None unless some line needs UTF-8 (non-ASCII and valid) and some other line fails it."""
    lines = data.splitlines(keepends=True)
    utf8, bad = False, []
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
            utf8 = utf8 or not line.isascii()
        except UnicodeDecodeError:
            bad.append(number)
    if not utf8 or not bad:
        return None
    best = _best_guess(b"".join(lines[n - 1] for n in bad))
    if best is None or best.encoding is None or best.encoding.startswith("utf"):
        return None
    bad_set = set(bad)
    text = "".join(line.decode(best.encoding, errors="replace") if n in bad_set else line.decode("utf-8")
                   for n, line in enumerate(lines, start=1))
    return Decoded(text, f"utf-8+{best.encoding}",
                   f"{_count(bad, 'line')} not UTF-8 ({_ranges(bad)}), decoded as {best.encoding}")


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def _ranges(numbers: list[int], most: int = 5) -> str:
    """[3, 4, 5, 9] -> 'lines 3-5, 9'; at most `most` ranges, then '...'."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    words = [f"{a}" if a == b else f"{a}-{b}" for a, b in spans[:most]]
    return ("lines " if len(numbers) > 1 else "line ") + ", ".join(words) + (", ..." if len(spans) > most else "")


# UTF-8 read as Latin-1 or cp1252 turns each lead byte (0xC2-0xF4) into U+00C2-U+00F4 followed by a non-ASCII
# character (a continuation byte): text without such a pair holds no such mojibake, and ftfy (about 0.5 us a
# character) is not run on it.
_MOJIBAKE_PAIR = re.compile("[\u00c2-\u00f4][^\x00-\x7f]")


def repair_mojibake(decoded: Decoded) -> Decoded:
    """Text garbled before it was saved (UTF-8 read as cp1252 and written again: "ZÃ¼rich") repaired by
    ftfy.fix_encoding, which changes only sequences that are far likelier mojibake than text; the repair is noted."""
    if not _MOJIBAKE_PAIR.search(decoded.text):
        return decoded
    import ftfy  # here, not at the top: its import (~0.07 s) is paid only when a text may hold mojibake

    fixed = ftfy.fix_encoding(decoded.text)
    if fixed == decoded.text:
        return decoded
    note = "mojibake repaired (ftfy.fix_encoding)"
    return Decoded(fixed, decoded.encoding, f"{decoded.repair}; {note}" if decoded.repair else note)


def decode(data: bytes) -> Decoded:
    """(text, encoding, repair). Raises Undecodable with reason 'binary' or 'undecodable'."""
    return repair_mojibake(_decode(data))


def _decode(data: bytes) -> Decoded:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise Undecodable("undecodable", f"starts with a {encoding} byte-order mark but is not {encoding}: "
                                                 f"{exc.reason}") from exc
            if _mostly_controls([ord(ch) for ch in text[:8192]]):
                raise Undecodable("binary", f"decoded as {encoding}, mostly control characters: not a text file")
            return Decoded(text, encoding)
    if looks_binary(data):
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise Undecodable("binary", "NUL or control bytes: not a text file")
        return Decoded(*utf16)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            data = data[3:]  # a UTF-8 mark on text that is not UTF-8 after all: detect the rest
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared(data)
    if declared is not None:
        return Decoded(*declared)
    mixed = _mixed_lines(data)
    if mixed is not None:
        return mixed
    best = _best_guess(data)
    if best is None or best.encoding is None:
        raise Undecodable("undecodable", "not UTF-8 and no other encoding detected")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise Undecodable("undecodable", f"decoding as {best.encoding} gives replacement characters")
    return Decoded(text, best.encoding)
