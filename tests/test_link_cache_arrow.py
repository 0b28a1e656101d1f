"""The round-linking cache on Arrow chunks, as the step reads them (article_tables): an article's mentions are keyed
by their own bytes (link_cache.mention_digests), a warm run never reads a chunk of hits into pandas, and an
article whose mentions change in any column linking reads is linked again, resolving as a run without a cache."""
from datetime import date, timedelta

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.publish import arrow
from pipeline.publish.arrow import article_tables, read_frame
from pipeline.resolve import rounds as rounds_module
from pipeline.resolve.link_cache import LinkCache, mention_digests
from pipeline.resolve.rounds import LINK_READS, link_rounds
from tests.test_link_cache import ARTS, ROWS, _counting, _same
from tests.test_rounds import NO_DATES, NO_ROLES, mention

MORE = [mention("a4", 0, city="Geneva", country="CHE", date_start=date(2024, 3, 12), date_precision="day",
                year=2024.0, month=3.0, duration_minutes=90.0, people=["Ann Lee"], delegation_heads=["Ann Lee"],
                date_end=date(2024, 3, 13), day=12.0, venue="Palais", region="Europe", host="CHE"),
        mention("a4", 2, after_year="2023", after_month="5", reference="previous"),
        mention("a4", 1, definiteness="definite", ordinal=2.0)]
ARTS4 = pd.concat([ARTS, pd.DataFrame({"article_id": ["a4"], "published_date": [date(2024, 3, 14)],
                                       "publisher": ["Wire"]})], ignore_index=True)


def _file(rows, path):
    frame = pd.DataFrame(rows)
    pq.write_table(pa.Table.from_pandas(frame[[c for c in LINK_READS if c in frame]], preserve_index=False), path)
    return path


def _arrow_linked(path, cache=None, rows=2):
    return link_rounds((t for _, t in article_tables(path, rows)), ARTS4, NO_ROLES, NO_DATES, cache=cache)


def _plain(path):
    return link_rounds([read_frame(path)], ARTS4, NO_ROLES, NO_DATES)


def test_arrow_chunks_resolve_as_frames_and_a_warm_run_reads_no_chunk(tmp_path, monkeypatch):
    path = _file(ROWS + MORE, tmp_path / "m.parquet")
    plain = _plain(path)
    _same(plain, _arrow_linked(path, LinkCache(tmp_path)))
    linked = _counting(monkeypatch)
    read = []
    monkeypatch.setattr(rounds_module, "read_frame", lambda t: read.append(t) or arrow.read_frame(t))
    _same(plain, _arrow_linked(path, LinkCache(tmp_path)))
    assert linked == [] and read == []


def _changed(value, other):
    """Another value of the column's type: a string, number, date or list changed, a None given a value."""
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, date):
        return value + timedelta(days=1)
    if isinstance(value, list):
        return value + ["Zed"]
    return other


@pytest.mark.parametrize("column", [c for c in LINK_READS if c != "article_id"])
def test_an_article_changed_in_any_read_column_is_linked_again(tmp_path, monkeypatch, column):
    rows = ROWS + MORE
    path = _file(rows, tmp_path / "m.parquet")
    _arrow_linked(path, LinkCache(tmp_path))
    others = [r.get(column) for r in rows if r.get(column) is not None]
    if not others:
        pytest.skip(f"no value of {column} in the made-up rows")
    changed = [dict(r) for r in rows]
    changed[-1][column] = _changed(changed[-1].get(column), others[0] if column != "definiteness" else "bare")
    if changed[-1][column] == rows[-1].get(column):
        changed[-1][column] = others[-1] if others[-1] != rows[-1].get(column) else None
    path = _file(changed, tmp_path / "m2.parquet")
    linked = _counting(monkeypatch)
    got = _arrow_linked(path, LinkCache(tmp_path))
    assert "a4" in linked
    monkeypatch.undo()
    _same(_plain(path), got)


def _table(rows):
    return pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)


def test_an_articles_digest_is_its_rows_alone():
    """The same rows (same columns, types and null presence in the chunk) give the same digest wherever they are."""
    chunk = _table(ROWS + MORE)
    first = len(ROWS)
    alone = mention_digests(chunk)["a4"]
    moved = pa.concat_tables([chunk.slice(first), chunk.slice(0, first)])  # after it (an IPC slice carries these)
    assert mention_digests(moved)["a4"] == alone
    assert mention_digests(moved.combine_chunks())["a4"] == alone
    more = pa.concat_tables([chunk, chunk.slice(0, first).set_column(1, "article_id", pa.array(["b"] * first))])
    assert mention_digests(more)["a4"] == alone  # another article after it


@pytest.mark.parametrize("change", [
    {"city": "Genev"}, {"city": None}, {"city": ""}, {"people": []}, {"people": None}, {"people": ["Ann", " Lee"]},
    {"people": ["Ann Lee", ""]}, {"year": 2025.0}, {"year": None}, {"date_start": date(2024, 3, 13)},
    {"date_start": None}, {"surface": "talk"}])
def test_any_value_change_changes_the_digest(change):
    before = mention_digests(_table(ROWS + MORE))["a4"]
    rows = [dict(r) for r in ROWS + MORE]
    rows[len(ROWS)].update(change)  # the first a4 mention, with every cue
    assert mention_digests(_table(rows))["a4"] != before


def test_a_chunks_null_presence_is_in_the_digest():
    """An integer column with a null anywhere in the chunk is read as float: the same rows then read otherwise."""
    ints = pa.table({"article_id": ["a", "b"], "n": pa.array([1, 2], pa.int64())})
    with_null = pa.table({"article_id": ["a", "b"], "n": pa.array([1, None], pa.int64())})
    assert mention_digests(ints)["a"] != mention_digests(with_null)["a"]
    assert read_frame(ints)["n"].tolist()[0] == 1 and isinstance(read_frame(with_null)["n"].tolist()[0], float)
