"""Issue 18: a file read in chunks of whole articles comes as one chunk when it fits in one (each chunk costs a
schema validation whatever its size), and an article is still never split between chunks."""
import pandas as pd
import pyarrow.parquet as pq

from pipeline.publish.arrow import article_chunks, to_arrow


def _file(tmp_path, rows_per_article: list[int]):
    ids = [f"a{i}" for i, n in enumerate(rows_per_article) for _ in range(n)]
    path = tmp_path / "t.parquet"
    pq.write_table(to_arrow(pd.DataFrame({"article_id": ids, "x": range(len(ids))})), path)
    return path, ids


def test_a_file_that_fits_in_one_chunk_is_one_chunk(tmp_path):
    path, ids = _file(tmp_path, [2, 3, 1])
    chunks = list(article_chunks(path, rows=100))
    assert len(chunks) == 1 and list(chunks[0]["article_id"]) == ids and list(chunks[0].index) == list(range(6))


def test_chunks_never_split_an_article_and_keep_every_row_in_order(tmp_path):
    path, ids = _file(tmp_path, [2, 3, 1, 4, 1, 1])
    for rows in (1, 2, 3, 5, 12, 13):
        chunks = list(article_chunks(path, rows=rows))
        assert [a for c in chunks for a in c["article_id"]] == ids
        assert [i for c in chunks for i in c.index] == list(range(len(ids)))
        assert all(not set(a["article_id"]) & set(b["article_id"]) for a, b in zip(chunks, chunks[1:])), rows
        assert all(len(c) for c in chunks), rows  # no empty chunk: the last batch is never held back


def test_an_empty_file_gives_at_most_an_empty_chunk(tmp_path):
    path, _ = _file(tmp_path, [])
    assert sum(len(c) for c in article_chunks(path, rows=10)) == 0
