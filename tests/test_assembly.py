"""nlp/assembly.py: `assemble` (slices of the sources) gives sorted_assembly's table (filter, concatenate, sort by
article rank), rows and types, on made-up sources: rows kept together or split, ids asked twice or not at all,
columns typed differently in different sources, empty sources, and more runs than MAX_SLICES."""
import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp import assembly
from pipeline.nlp.assembly import article_runs, assemble, sorted_assembly

IDS = [f"art-{i}" for i in range(8)]


def _part(article_ids: list[str], dated: bool, null_dates: bool) -> pa.Table:
    """Rows of these articles; `day` is date32 (or, all null, a string column as a shard of no dates writes it)."""
    n = len(article_ids)
    if dated:
        days = pa.array([None if null_dates else dt.date(2024, 1, 1 + i % 28) for i in range(n)], pa.date32())
    else:
        days = pa.nulls(n, pa.string())
    return pa.table({"article_id": pa.array(article_ids, pa.string()), "row": pa.array(range(n), pa.int64()),
                     "day": days})


@st.composite
def sources(draw):
    parts, chosen = [], []
    for _ in range(draw(st.integers(1, 4))):
        together = draw(st.booleans())
        articles = draw(st.lists(st.sampled_from(IDS), max_size=6, unique=together))
        rows = [aid for aid in articles for _ in range(draw(st.integers(0, 3)))]
        if not together:
            rows = draw(st.permutations(rows))
        parts.append(_part(rows, draw(st.booleans()), draw(st.booleans())))
        chosen.append(draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=5, unique=True)))
    wanted = draw(st.lists(st.sampled_from(IDS), max_size=8, unique=draw(st.booleans())))
    if draw(st.booleans()):  # as the cache asks: every chosen id is wanted, each article chosen once
        seen, fixed = set(), []
        for ids in chosen:
            fixed.append([aid for aid in ids if aid not in seen] or ids[:1])
            seen.update(fixed[-1])
        chosen, wanted = fixed, list(dict.fromkeys(wanted + [aid for ids in chosen for aid in ids]))
    return parts, chosen, wanted


def _same(a: pa.Table, b: pa.Table) -> bool:
    return a.schema.equals(b.schema, check_metadata=True) and a.equals(b)


@settings(max_examples=400, deadline=None)
@given(sources())
def test_assemble_is_sorted_assembly(case):
    parts, chosen, wanted = case
    assert _same(assemble(parts, chosen, wanted), sorted_assembly(parts, chosen, wanted))


@settings(max_examples=100, deadline=None)
@given(sources())
def test_many_runs_are_taken_not_sliced(monkeypatch_case):
    parts, chosen, wanted = monkeypatch_case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assembly, "MAX_SLICES", 1)
        assert _same(assemble(parts, chosen, wanted), sorted_assembly(parts, chosen, wanted))


def test_a_main_file_and_a_new_shard_are_two_slices():
    main, shard = _part(["a", "a", "b", "c"], True, False), _part(["d", "d"], False, False)
    out = assemble([main, shard], [["a", "b", "c"], ["d"]], ["a", "b", "c", "d"])
    assert _same(out, sorted_assembly([main, shard], [["a", "b", "c"], ["d"]], ["a", "b", "c", "d"]))
    assert out.column("article_id").num_chunks == 2  # no copy: the two files' rows as they were read


def test_article_runs():
    assert article_runs(pa.chunked_array([["a", "a"], ["b", "c", "c"]])) == (["a", "b", "c"], pytest.approx([0, 2, 3, 5]))
    assert article_runs(pa.chunked_array([["a", "b", "a"]])) is None  # a split article
    assert article_runs(pa.chunked_array([["a", None]])) is None
    names, bounds = article_runs(pa.chunked_array([[]], pa.string()))
    assert names == [] and list(bounds) == [0]
