"""Bytes -> text: UTF-8 first, else a detected legacy encoding (recorded); binary input is refused."""
from __future__ import annotations

from charset_normalizer import from_bytes


class Undecodable(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control bytes in the first 8 KiB mean this is not a text file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.05


# When the detector scores several encodings equally (short texts often do), the commoner one on the web wins.
PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "iso8859_2", "cp1250", "gb18030", "big5",
             "shift_jis", "euc_kr")


def _best_guess(data: bytes):
    candidates = list(from_bytes(data))
    if not candidates:
        return None
    chaos = min(c.chaos for c in candidates)
    coherence = max(c.coherence for c in candidates if c.chaos <= chaos + 0.01)
    tied = [c for c in candidates if c.chaos <= chaos + 0.01 and c.coherence >= coherence - 0.02]
    rank = {name: i for i, name in enumerate(PREFERRED)}
    return min(tied, key=lambda c: rank.get(c.encoding, len(rank)))


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Raises Undecodable with reason 'binary' or 'undecodable'."""
    if looks_binary(data):
        raise Undecodable("binary", "NUL or control bytes: not a text file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = _best_guess(data)
    if best is None or best.encoding is None:
        raise Undecodable("undecodable", "not UTF-8 and no other encoding detected")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise Undecodable("undecodable", f"decoding as {best.encoding} gives replacement characters")
    return text, best.encoding
