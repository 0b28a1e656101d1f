"""Property tests: any Unicode text through cleaning, parsing and every extractor raises nothing, and every row
it yields points inside the text and passes its table's schema.

extract_article grows as extractors are wired in, so the checks run over whatever tables it returns.
"""
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.ingest.cleaning import clean_article, normalise
from pipeline.nlp.extract import extract_article
from pipeline.nlp.model import load_nlp
from pipeline.nlp.parse import parse_article
from schemas import TABLES, schema_for

NEWSY = [
    "Russian and Ukrainian delegations met in Istanbul on 29 March 2022.",
    'Vladimir Medinsky, head of the Russian delegation, said: "The talks were constructive."',
    "Zelensky said Kyiv would never accept a ceasefire that froze the front line.",
    "“We demand the withdrawal of all troops,” the foreign minister told reporters.",
    "About 2,000 prisoners and 1.5 million refugees were mentioned; 20% of the territory is occupied.",
    "The next round is planned for 10 April in Geneva, according to Reuters.",
    "Mr. Erdogan hosted the talks at Dolmabahçe Palace. Another round followed on May 3rd, 2022.",
    "Ukraine's negotiator Mykhailo Podolyak wrote on Twitter that 'no agreement was reached'.",
]
ODD = [
    "\u202eRTL override\u202c", "שלום עכשיו", "مفاوضات السلام في إسطنبول", "🕊️🇺🇦🇷🇺👩🏽‍⚖️", "\u200b\u200d\ufeff",
    '"unbalanced', "'", "«", "“", ")", "((", "\x00\x07\x1b\x7f\x85", "\r\n", "\r", "\t\t", "\u2028\u2029",
    "e\u0301", "\ufb01", "Ⅻ", "x" * 300, "-" * 50, "...", "—", "  ", "\n\n\n",
]
fragments = st.one_of(st.sampled_from(NEWSY), st.sampled_from(ODD), st.text(max_size=60),
                      st.text(st.characters(codec="utf-8"), max_size=40),
                      st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Po", "Ps", "Pe", "Pi",
                                                        "Pf", "So", "Nd"]), max_size=20))
texts = st.lists(fragments, max_size=40).map(" ".join).map(lambda t: t[:5000])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def check_rows(text: str, tables: dict[str, list[dict]]) -> None:
    """Offsets inside the text, span ordered, and each released table valid against its schema."""
    for table, rows in tables.items():
        for row in rows:
            if "start" in row and "end" in row:
                assert 0 <= row["start"] <= row["end"] <= len(text), (table, row)
        if table in TABLES:
            schema = schema_for(table)
            frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=list(schema.to_schema().columns))
            schema.validate(frame, lazy=True)
    sentences = tables.get("sentences", [])
    assert all(s["text"] == text[s["start"]:s["end"]] for s in sentences)


def clean_and_check(raw: str):
    clean = clean_article(raw)
    assert "\r" not in clean.text and "\x00" not in clean.text
    assert unicodedata.is_normalized("NFC", clean.text)
    assert normalise(clean.text) == clean.text  # already normal: cleaning is not half-done
    assert clean.title is None or ("\n" not in clean.title and clean.title.strip() == clean.title)
    assert all(isinstance(line, str) for line in clean.removed_lines)
    return clean


@SETTINGS
@given(texts)
@example("e\u200b\u0301 a\u00ad\u0301")  # an invisible character between a letter and its accent
@example('He said: "no. \n\n "Yes" she said “')
def test_cleaning_any_text(raw):
    clean_and_check(raw)


@SETTINGS
@given(texts)
@example("\u202e" + NEWSY[1] + " 🕊️ " + NEWSY[4][::-1])
@example("“" * 200 + NEWSY[3])
def test_extraction_any_text(nlp, raw):
    text = clean_and_check(raw).text
    check_rows(text, extract_article(parse_article("art-prop", text, None, nlp=nlp)))


def test_one_megabyte_line():
    """A 1 MB paragraph with no line break: cleaning copes, the sentence offsets hold. The model runs on one
    1 MB token (a realistic 1 MB line takes spaCy minutes and gigabytes in one piece: see docs/reliability.md)."""
    line = " ".join(NEWSY + ODD[:5]) + " "
    raw = (line * (1_000_000 // len(line) + 1))[:1_000_000]
    clean = clean_and_check(raw)
    assert len(clean.text) > 900_000 and clean.text.count("\n") == 0
    token = "peace" * 200_000
    check_rows(token, extract_article(parse_article("art-long", token)))


@given(st.text(max_size=400))
@example("Medins\u0301kyi \u201cZelenskyy\u201d  \u0130stanbul\t\u00c9vian")
def test_fold_is_nfkd_without_combining_marks_lowercased_and_spaced(text):
    """fold's fast paths (ASCII, a table of the text's own combining marks; long texts outside the cache) give
    exactly the definition."""
    from pipeline.ids import fold
    expected = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    assert fold(text) == " ".join(expected.lower().split())
    assert fold(text * 3) == " ".join((expected * 3).lower().split())


_NA = st.sampled_from([None, float("nan")])
_TEXTS = st.one_of(st.text(max_size=8), _NA, st.integers(0, 9))  # an int is written as its str(), like the loop
_DATES = st.one_of(st.dates(), _NA)
_LISTS = st.one_of(st.none(), st.lists(st.one_of(st.text(max_size=5), st.none(), st.integers(0, 9)), max_size=3))


def _by_loop(values: list, kind: str):
    """What to_arrow wrote before its fast paths: each value converted in Python."""
    import pyarrow as pa
    missing = lambda v: v is None or (isinstance(v, float) and v != v)  # noqa: E731
    if kind == "list":
        return pa.array([None if v is None else [None if x is None else str(x) for x in v] for v in values],
                        type=pa.list_(pa.string()))
    if kind == "date":
        return pa.array([None if missing(v) else v for v in values], type=pa.date32())
    return pa.array([None if missing(v) else str(v) for v in values], type=pa.string())


@given(st.one_of(st.tuples(st.just("str"), st.text(max_size=8), st.lists(_TEXTS, max_size=6)),
                 st.tuples(st.just("date"), st.dates(), st.lists(_DATES, max_size=6)),
                 st.tuples(st.just("list"), st.lists(st.text(max_size=5), max_size=2), st.lists(_LISTS, max_size=6))))
def test_to_arrow_fast_paths_write_what_the_per_value_loop_wrote(case):
    """A column's first value sets its type; Arrow's own conversion is used when every value already has that
    type's Python form, the per-value loop otherwise: either way the column is the loop's."""
    from pipeline.publish.arrow import read_frame, to_arrow
    kind, first, rest = case
    values = [first, *rest]
    table = to_arrow(pd.DataFrame({"c": pd.Series(values, dtype=object)}))
    assert table.column("c").combine_chunks().equals(_by_loop(values, kind))
    back = read_frame(table)["c"].tolist()  # and read back as Python values, lists as lists
    assert [None if v is None or v != v else v for v in back] == table.column("c").to_pylist()
