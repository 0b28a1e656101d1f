"""The cross-table checks are computed once per build for the same files: the release asks again what the check step
has just found; a file written again (a new file renamed in) is checked again."""
import os

import pandas as pd
import pyarrow.parquet as pq

from pipeline.publish import integrity
from pipeline.publish.arrow import TableFile, to_arrow


def _write(path, df):
    tmp = path.with_name("tmp-" + path.name)
    pq.write_table(to_arrow(df), tmp)
    os.replace(tmp, path)  # as the IO manager writes
    return TableFile(path)


def test_the_same_files_are_checked_once_and_a_rewritten_file_again(tmp_path, monkeypatch):
    articles = _write(tmp_path / "articles.parquet", pd.DataFrame({"article_id": ["a1"], "text": ["Hello there."]}))
    sentences = pd.DataFrame({"article_id": ["a1", "a2"], "sentence_id": ["a1-s0", "a2-s0"], "paragraph_id": ["p", "p"],
                              "start": [0, 0], "end": [5, 3], "text": ["Hello", "Hi."]})
    child = _write(tmp_path / "sentences.parquet", sentences)
    calls = []
    real = integrity._reference_failures
    monkeypatch.setattr(integrity, "_reference_failures", lambda *a: calls.append(a[0]) or real(*a))
    first = integrity.reference_failures("sentences", child, {"articles": articles})
    again = integrity.cross_table_failures({"sentences": child, "articles": articles})["sentences.references"]
    assert calls.count("sentences") == 1 and list(first["value"]) == ["a2"]
    pd.testing.assert_frame_equal(first, again)
    fixed = _write(tmp_path / "sentences.parquet", sentences.iloc[:1])
    assert integrity.reference_failures("sentences", fixed, {"articles": articles}).empty
    assert calls.count("sentences") == 2
    frames = {"sentences": sentences, "articles": pd.DataFrame({"article_id": ["a1"], "text": ["Hello there."]})}
    integrity.reference_failures("sentences", frames["sentences"], frames)
    integrity.reference_failures("sentences", frames["sentences"], frames)
    assert calls.count("sentences") == 4  # frames are never taken for files already checked
