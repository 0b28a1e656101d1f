"""Content-derived identifiers: the same content gives the same id in every release."""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """`prefix-<hex>` from a SHA-256 of the parts (None and '' are distinct from each other)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(b"\x1f" + ("\x00" if part is None else str(part)).encode("utf-8"))
    return f"{prefix}-{h.hexdigest()[:length]}"


CACHED_FOLD_CHARS = 200  # names and phrases are folded from a cache; whole texts are not kept in it


def fold(text: str) -> str:
    """Lowercase, accents stripped, whitespace collapsed: the key for comparing names."""
    return _fold_cached(text) if text and len(text) <= CACHED_FOLD_CHARS else _fold(text)


@functools.lru_cache(maxsize=65_536)  # the same names are folded again and again across mentions
def _fold_cached(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    if not text.isascii():  # combining marks dropped by a table built from the text's distinct characters
        marks = {ord(ch): None for ch in set(text) if unicodedata.combining(ch)}
        text = text.translate(marks) if marks else text
    return " ".join(text.lower().split())


def slug(text: str) -> str:
    """`vladimir-medinsky` from 'Vladimir Medinsky'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"
