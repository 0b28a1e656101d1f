"""Issue 18: schema-check results kept between runs (pipeline/publish/check_cache.py) never change what a check
reports: a made-up table gives the same failure cases with and without the cache, a changed row in a chunk
validated before is still reported, and a damaged cache file is only a recomputation."""
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.publish import integrity
from pipeline.publish.arrow import TableFile, to_arrow
from pipeline.publish.check_cache import ChunkCache, check_version, shifted
from pipeline.publish.integrity import schema_failures


def _sentences(n_articles: int = 6, per_article: int = 4) -> pd.DataFrame:
    rows = []
    for a in range(n_articles):
        for s in range(per_article):
            rows.append({"article_id": f"art-{a}", "start": 10 * s, "end": 10 * s + 9, "sentence_id": f"art-{a}-s{s}",
                         "paragraph_id": f"art-{a}-p0", "text": f"Sentence {s} of article {a}."})
    return pd.DataFrame(rows)


def _bad(df: pd.DataFrame) -> pd.DataFrame:
    """Failures in several chunks: a reversed span, an empty text, a negative start, an id repeated far away."""
    df = df.copy()
    df.loc[1, ["start", "end"]] = [50, 5]
    df.loc[9, "text"] = ""
    df.loc[14, "start"] = -3
    df.loc[22, "sentence_id"] = df.loc[2, "sentence_id"]
    return df


def _write(df: pd.DataFrame, path) -> TableFile:
    pq.write_table(to_arrow(df), path)
    return TableFile(path)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(integrity, "CHUNK_ROWS", 7)  # ~2 articles a chunk: several chunks in a small table


def _pandera_calls(monkeypatch) -> list[int]:
    calls, raw = [], integrity._raw_cases

    def counted(table, df):
        calls.append(df.index[0])
        return raw(table, df)
    monkeypatch.setattr(integrity, "_raw_cases", counted)
    return calls


def test_with_and_without_the_cache_the_failure_cases_are_the_same(tmp_path, small_chunks):
    file = _write(_bad(_sentences()), tmp_path / "sentences.parquet")
    without = schema_failures("sentences", file)
    assert len(without) and {"end", "text", "start", "sentence_id"} <= set(without["column"])
    cache = tmp_path / "cache"
    first = schema_failures("sentences", file, cache)  # fills the cache
    again = schema_failures("sentences", file, cache)  # the same file: its whole result
    pd.testing.assert_frame_equal(first, without)
    pd.testing.assert_frame_equal(again, without)


def test_a_changed_row_in_a_chunk_validated_before_is_reported(tmp_path, small_chunks, monkeypatch):
    cache = tmp_path / "cache"
    good = _sentences()
    assert schema_failures("sentences", _write(good, tmp_path / "sentences.parquet"), cache).empty
    changed = good.copy()
    changed.loc[10, "end"] = 2  # start 20 > end 2, in the second chunk
    file = _write(changed, tmp_path / "sentences.parquet")
    expected = schema_failures("sentences", file)
    calls = _pandera_calls(monkeypatch)
    cached = schema_failures("sentences", file, cache)
    assert calls == [4]  # only the changed chunk (rows 4-11: chunks are 0-3, 4-11, 12-19, 20-23) is validated again
    pd.testing.assert_frame_equal(cached, expected)
    assert not cached.empty and "10" in set(cached["index"])


def test_kept_failure_cases_move_with_their_chunk(tmp_path, small_chunks, monkeypatch):
    """Rows added before chunks seen before: their kept cases name their rows where they are now. (Chunks are cut
    by position: 7 new rows, one batch, leave the old chunks 4-11, 12-19 and 20-23 whole, at 11, 19 and 27.)"""
    cache = tmp_path / "cache"
    bad = _bad(_sentences())
    schema_failures("sentences", _write(bad, tmp_path / "sentences.parquet"), cache)
    first = _sentences(1, 7).assign(article_id="art-new", sentence_id=lambda d: "art-new-s" + d.index.astype(str),
                                    paragraph_id="art-new-p0")
    moved = pd.concat([first, bad], ignore_index=True)  # chunks 0-10 (new), 11-18, 19-26, 27-30
    file = _write(moved, tmp_path / "sentences.parquet")
    expected = schema_failures("sentences", file)
    calls = _pandera_calls(monkeypatch)
    cached = schema_failures("sentences", file, cache)
    assert calls == [0]  # the old chunks' cases came from the cache, moved by 7 rows
    pd.testing.assert_frame_equal(cached, expected)
    assert {"16", "21"} <= set(cached["index"]) and "14" not in set(cached["index"])  # old rows 9 and 14, moved


def test_a_damaged_cache_file_is_only_a_recomputation(tmp_path, small_chunks):
    file = _write(_bad(_sentences()), tmp_path / "sentences.parquet")
    cache = tmp_path / "cache"
    expected = schema_failures("sentences", file, cache)
    kept = ChunkCache(cache, "sentences").path
    assert kept.is_file()
    kept.write_bytes(b"\x80\x05 not a pickle")
    pd.testing.assert_frame_equal(schema_failures("sentences", file, cache), expected)
    kept.write_bytes(kept.read_bytes()[:40])  # a file cut short
    pd.testing.assert_frame_equal(schema_failures("sentences", file, cache), expected)


def test_another_check_version_starts_a_fresh_folder_and_drops_the_old(tmp_path, small_chunks):
    file = _write(_sentences(), tmp_path / "sentences.parquet")
    cache = tmp_path / "cache"
    schema_failures("sentences", file, cache)
    old = cache / "0123456789abcdef"
    old.mkdir()
    schema_failures("sentences", _write(_bad(_sentences()), tmp_path / "sentences.parquet"), cache)
    assert [p.name for p in cache.iterdir()] == [check_version()]


def test_unique_columns_are_checked_across_the_whole_table(tmp_path, small_chunks):
    """A repeated id far apart is found by the whole-table check, as before; Arrow's 'all distinct' is never
    trusted where pandas would compare otherwise (integers with nulls)."""
    df = _sentences()
    df.loc[23, "sentence_id"] = df.loc[0, "sentence_id"]
    file = _write(df, tmp_path / "sentences.parquet")
    cases = schema_failures("sentences", file, tmp_path / "cache")
    assert set(cases.loc[cases["check"] == "field_uniqueness", "index"]) == {"0", "23"}
    assert not integrity.distinct_rows(file.path, ["sentence_id"])
    assert integrity.distinct_rows(file.path, ["article_id", "start", "end"]) is True
    nulls = tmp_path / "nulls.parquet"
    pq.write_table(to_arrow(pd.DataFrame({"n": pd.array([1, None, 2], dtype="Int64")})), nulls)
    assert integrity.distinct_rows(nulls, ["n"]) is False  # pandas is asked


@pytest.mark.parametrize("index", [pd.Series([3, 5], dtype="int64"), pd.Series([3.0, float("nan")]),
                                   pd.Series([3, None], dtype=object)])
def test_row_numbers_move_and_print_as_pandera_printed_them(index):
    cases = pd.DataFrame({"column": ["a", "b"], "check": ["c", "c"], "failure_case": [1, 2], "index": index})
    there = shifted(shifted(cases, -3), 3)
    pd.testing.assert_frame_equal(there.astype(str), cases.astype(str))
    assert shifted(cases.assign(index=["x", None]), 1) is None  # not row numbers: not kept


# --- the kept file (check_cache.ChunkCache.kept_file, pipeline/publish/kept_check.py) ---

def _rerun(tmp_path, before: pd.DataFrame, after: pd.DataFrame, table: str = "sentences"):
    """Validate `before` with a cache, then `after` renamed in over it (as the IO manager writes): the cached result
    of `after` and the full validation's."""
    cache, path = tmp_path / "cache", tmp_path / f"{table}.parquet"
    _write(before, path)
    schema_failures(table, TableFile(path), cache)
    _write(after, tmp_path / "next.parquet").path.replace(path)
    return schema_failures(table, TableFile(path), cache), schema_failures(table, TableFile(path)), cache


def test_a_rerun_whose_changed_rows_pass_validates_only_them(tmp_path, monkeypatch):
    good = _sentences()
    changed = pd.concat([good, _sentences(8, 4).iloc[24:]], ignore_index=True)  # two new articles
    changed.loc[5, "text"] = "Another sentence, still valid."
    calls = []
    raw = integrity._raw_cases
    monkeypatch.setattr(integrity, "_raw_cases", lambda table, df: calls.append(list(df.index)) or raw(table, df))
    cached, full, _ = _rerun(tmp_path, good, changed)
    assert calls[1] == [5, *range(24, 32)]  # the changed row and the new articles, by their row numbers
    pd.testing.assert_frame_equal(cached, full)
    assert cached.empty


@pytest.mark.parametrize("damage", ["end", "repeat", "text"])
def test_changed_rows_that_fail_give_the_full_paths_cases(tmp_path, small_chunks, damage):
    good = _sentences()
    bad = pd.concat([good, _sentences(8, 4).iloc[24:]], ignore_index=True)
    if damage == "end":
        bad.loc[10, "end"] = 2
    elif damage == "repeat":  # an id repeated across articles: pandera's per-chunk and the whole-table check
        bad.loc[26, "sentence_id"] = bad.loc[25, "sentence_id"]
    else:
        bad.loc[3, "text"] = ""
    cached, full, _ = _rerun(tmp_path, good, bad)
    assert len(full)
    pd.testing.assert_frame_equal(cached, full)


def test_a_missing_or_changed_kept_file_falls_back_to_the_chunks(tmp_path, small_chunks, monkeypatch):
    good = _sentences()
    cache, path = tmp_path / "cache", tmp_path / "sentences.parquet"
    schema_failures("sentences", _write(good, path), cache)
    kept = ChunkCache(cache, "sentences").kept
    assert kept.is_file() and kept.stat().st_ino == path.stat().st_ino  # a hard link, no copy
    for spoil in (lambda: kept.write_bytes(b"PAR1 not parquet"), kept.unlink):
        bad = good.copy()
        bad.loc[10, "end"] = 2
        _write(bad, tmp_path / "next.parquet").path.replace(path)
        spoil()
        calls = _pandera_calls(monkeypatch)
        cached = schema_failures("sentences", TableFile(path), cache)
        assert calls == [4]  # the chunks, as without a kept file: only the changed one misses
        pd.testing.assert_frame_equal(cached, schema_failures("sentences", TableFile(path)))
        schema_failures("sentences", _write(good, path), cache)  # passes again: kept again


def test_a_kept_file_is_replaced_never_piled_up(tmp_path):
    good = _sentences()
    cache, path = tmp_path / "cache", tmp_path / "sentences.parquet"
    for n in (6, 7, 8):
        _write(_sentences(n), tmp_path / "next.parquet").path.replace(path)
        assert schema_failures("sentences", TableFile(path), cache).empty
    assert sorted(p.name for p in (cache / check_version()).iterdir()) == ["sentences.parquet", "sentences.pkl"]
    _write(_bad(good), tmp_path / "next.parquet").path.replace(path)
    schema_failures("sentences", TableFile(path), cache)  # fails: the last file that passed stays kept
    assert ChunkCache(cache, "sentences").kept_file() is not None


def test_by_article_a_changed_article_is_validated_whole(tmp_path):
    """actor_mentions' spans_disjoint looks at an article's rows together: a new overlapping row makes its article
    fail, found though only that article is validated again."""
    rows = [{"article_id": f"art-{a}", "start": 10 * s, "end": 10 * s + 5, "sentence_id": f"art-{a}-s0",
             "surface": "Name", "actor_id": "someone", "name": "Some One", "actor_type": "person", "country": "UKR",
             "in_reference": True, "label": "PERSON"} for a in range(4) for s in range(3)]
    good = pd.DataFrame(rows)
    overlapping = good.copy()
    overlapping.loc[4, ["start", "end"]] = [3, 8]  # across the end of art-1's first span (0-5)
    cached, full, _ = _rerun(tmp_path, good, overlapping, "actor_mentions")
    assert len(full) and "spans_disjoint" in set(full["check"])
    pd.testing.assert_frame_equal(cached, full)
    (tmp_path / "b").mkdir()
    cached, full, _ = _rerun(tmp_path / "b", good, good.assign(surface="Other"), "actor_mentions")
    assert cached.empty and full.empty


def test_every_dataframe_check_is_classed():
    """A dataframe check not in ROW_CHECKS is taken to look at an article's rows together (validated by article)."""
    from pipeline.publish.kept_check import ROW_CHECKS
    from schemas import TABLES, schema_for
    checks = {c.name for t in TABLES for c in schema_for(t).to_schema().checks}
    assert checks - ROW_CHECKS == {"spans_disjoint"}
    assert ROW_CHECKS <= checks
