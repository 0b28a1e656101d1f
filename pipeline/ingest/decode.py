"""Bytes -> text: UTF-8 first, else a detected legacy encoding (recorded); binary input is refused."""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes


class Undecodable(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _mostly_controls(codes: list[int]) -> bool:
    """NUL, or over 5% control characters (tab, newlines and form feed aside): not text."""
    controls = sum(1 for c in codes if c < 32 and c not in (9, 10, 12, 13))
    return 0 in codes or (bool(codes) and controls / len(codes) > 0.05)


def looks_binary(data: bytes) -> bool:
    """Judged on the first 8 KiB."""
    return _mostly_controls(list(data[:8192]))


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


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Raises Undecodable with reason 'binary' or 'undecodable'."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise Undecodable("undecodable", f"starts with a {encoding} byte-order mark but is not {encoding}: "
                                                 f"{exc.reason}") from exc
            if _mostly_controls([ord(ch) for ch in text[:8192]]):
                raise Undecodable("binary", f"decoded as {encoding}, mostly control characters: not a text file")
            return text, encoding
    if looks_binary(data):
        raise Undecodable("binary", "NUL or control bytes: not a text file")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            data = data[3:]  # a UTF-8 mark on text that is not UTF-8 after all: detect the rest
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared(data)
    if declared is not None:
        return declared
    best = _best_guess(data)
    if best is None or best.encoding is None:
        raise Undecodable("undecodable", "not UTF-8 and no other encoding detected")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise Undecodable("undecodable", f"decoding as {best.encoding} gives replacement characters")
    return text, best.encoding
