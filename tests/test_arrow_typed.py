"""Issue 18: round_resolution types round_mentions, positions and outcomes in Arrow (pipeline/publish/arrow_typed.py)
instead of through pandas and pandera: each chunk must come out exactly as to_arrow(conformed(...)) gives it (the
general way, kept as the oracle), or not at all (then the general way runs), and the written file is the same bytes."""
from datetime import date
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.defs.metadata import typed_file, typed_file_with
from pipeline.publish.arrow import article_chunks, numbered, to_arrow, with_columns
from pipeline.publish.arrow_typed import typed_part
from pipeline.publish.integrity import conformed

TEXT = st.sampled_from(["Geneva", "Doha", "", "é", "x" * 30])
# Columns as a to_arrow-written file holds them: (pandera dtype of the column's table, Arrow source type, values).
SOURCES = {
    "string": (pa.string(), TEXT),
    "double_int": (pa.float64(), st.integers(-5, 3000).map(float)),
    "double": (pa.float64(), st.floats(-1e6, 1e6, allow_nan=False)),
    "int64": (pa.int64(), st.integers(-(2 ** 60), 2 ** 60)),
    "date32": (pa.date32(), st.dates(date(1990, 1, 1), date(2030, 12, 31))),
    "list": (pa.list_(pa.field("element", pa.string())), st.lists(st.one_of(st.none(), TEXT), max_size=3)),
}
# round_mentions' columns, one per dtype kind, and one the schema does not list.
COLUMNS = {"surface": "str", "year": "Int64", "start": "int64", "duration_minutes": "float64", "date_start": "object",
           "parties": "object", "extra": None}
USUAL = {"surface": "string", "year": "double_int", "start": "int64", "duration_minutes": "double",
         "date_start": "date32", "parties": "list", "extra": "string"}  # what the extraction writes there


@st.composite
def chunks(draw):
    n = draw(st.integers(1, 6))
    ids = sorted(draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n)))
    columns = {"article_id": pa.array(ids, pa.string())}
    for name in draw(st.lists(st.sampled_from(list(COLUMNS)), unique=True)):
        kind, values = SOURCES[draw(st.one_of(st.just(USUAL[name]), st.sampled_from(list(SOURCES))))]
        nulls = draw(st.sampled_from(["none", "some", "all"]))
        row = values if nulls == "none" else st.none() if nulls == "all" else st.one_of(st.none(), values)
        columns[name] = pa.array(draw(st.lists(row, min_size=n, max_size=n)), kind)
    return pa.table(columns)


def _general(table: str, part: pa.Table, added: dict, order: list | None) -> pa.Table:
    frame = next(with_columns([numbered(part, 0)], added, order))
    return to_arrow(conformed(table, frame))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part=chunks(), data=st.data())
def test_a_chunk_typed_in_arrow_is_what_pandera_and_to_arrow_give_or_none(part, data):
    n = part.num_rows
    added = {"round_id": data.draw(st.lists(st.one_of(st.none(), TEXT), min_size=n, max_size=n)),
             "link_score": data.draw(st.lists(st.one_of(st.none(), st.floats(0, 20), st.just(float("nan"))),
                                              min_size=n, max_size=n))}
    order = data.draw(st.one_of(st.none(), st.just(["article_id", *COLUMNS, "round_id", "link_score"])))
    fast = typed_part("round_mentions", part, 0, added, order)
    try:
        general = _general("round_mentions", part, added, order)
    except ValueError:  # pandera refuses a value: the fast way must not have typed it
        assert fast is None
        return
    if fast is not None:
        assert fast.equals(general) and fast.schema.equals(general.schema, check_metadata=True), (fast, general)


def test_the_usual_columns_take_the_fast_way():
    """What the extraction writes (strings, whole numbers as doubles, dates, lists, all-null columns) never needs
    pandera: the fast way is taken and equals the general way."""
    part = pa.table({"article_id": ["a", "a"], "surface": ["talks", None], "year": pa.array([2024.0, None]),
                     "weekday": pa.array([None, None], pa.string()), "start": [0, 5],
                     "date_start": pa.array([date(2024, 3, 1), None]), "date_end": pa.array([None, None], pa.date32()),
                     "parties": pa.array([["ISR"], []], pa.list_(pa.field("element", pa.string())))})
    added = {"round_id": ["r1", None], "link_score": [None, 3.5]}
    fast = typed_part("round_mentions", part, 0, added, None)
    assert fast is not None and fast.equals(_general("round_mentions", part, added, None))
    assert fast.schema.field("year").type == pa.int64() and fast.schema.field("date_end").type == pa.string()


def _candidates(path: Path, rows: list[dict], batch: int) -> Path:
    """A candidates file written as the extraction writes it: to_arrow of pieces, gathered."""
    frame = pd.DataFrame(rows)
    parts = [to_arrow(frame.iloc[i:i + batch]) for i in range(0, len(frame), batch)]
    from pipeline.publish.arrow import concat_like_one
    pq.write_table(concat_like_one(parts), path, compression="zstd")
    return path


def _mention(aid: str, i: int, **over) -> dict:
    row = {"mention_id": f"{aid}-m{i}", "article_id": aid, "sentence_id": f"{aid}-s{i}", "paragraph_id": None,
           "start": i * 10, "end": i * 10 + 5, "surface": "talks", "kind": "round", "definiteness": "bare",
           "date_start": date(2024, 3, i + 1) if i % 2 else None, "year": 2024 if i % 2 else None, "weekday": None,
           "city": "Doha" if i % 3 else None, "format": "unknown", "duration_minutes": None,
           "parties": ["QAT"] if i % 2 else [], "tense": "past"}
    row.update(over)
    return row


def _both(tmp_path, rows, order, added, rows_per_chunk=3):
    source = _candidates(tmp_path / "candidates.parquet", rows, 4)
    fast = typed_file_with("round_mentions", source, added, tmp_path / "fast.parquet", rows_per_chunk, order)
    columns = order or [*dict.fromkeys([*pq.read_schema(source).names, *added])]
    general = typed_file("round_mentions", with_columns(article_chunks(source, rows_per_chunk), added, order),
                         columns, tmp_path / "general.parquet")
    return fast.path.read_bytes(), general.path.read_bytes()


@pytest.mark.parametrize("order", [None, ["mention_id", "article_id", "start", "end", "surface", "year", "weekday",
                                          "month", "date_start", "parties", "round_id", "link_score"]])
def test_the_written_file_is_the_same_bytes_as_the_general_way(tmp_path, order):
    rows = [_mention(aid, i) for aid in ("a", "b", "c") for i in range(4)]
    added = {"round_id": [None, "r1"] * 6, "link_score": [2.5, None, 1.0] * 4}
    fast, general = _both(tmp_path, rows, order, added)
    assert fast == general


def test_an_empty_file_and_a_value_pandera_changes_take_the_general_way(tmp_path):
    rows = [_mention("a", i, weekday="3" if i == 1 else None) for i in range(3)]  # a string pandera makes an integer
    fast, general = _both(tmp_path, rows, None, {"round_id": [None] * 3})
    assert fast == general
    empty = _candidates(tmp_path / "empty.parquet", [_mention("a", 0)], 4)
    pq.write_table(pq.read_table(empty).slice(0, 0), empty)
    fast = typed_file_with("round_mentions", empty, {"round_id": []}, tmp_path / "e.parquet", 3)
    assert pq.read_table(fast.path).num_rows == 0 and "round_id" in pq.read_schema(fast.path).names


def test_a_value_that_cannot_take_its_type_still_fails_the_step(tmp_path):
    source = _candidates(tmp_path / "candidates.parquet", [_mention("a", 0, year=2024.5)], 4)
    with pytest.raises(dg.Failure, match="year"):
        typed_file_with("round_mentions", source, {"round_id": [None]}, tmp_path / "out.parquet", 3)
