"""The ingest cache: a re-run decodes and cleans only new or changed files, and gives the tables a run without the
cache gives; a changed file, manifest entry or code version is read again."""
import pandas as pd

from pipeline.ingest import articles as ingest_articles
from pipeline.ingest import file_cache
from pipeline.ingest.articles import ingest_folder

STORY = ("Negotiators from both delegations met in Geneva on Tuesday for a third round of talks. "
         "The mediators said the sides had agreed to exchange prisoners before the next meeting.\n\n"
         "A spokesman for the foreign ministry said further talks would follow in the coming weeks.")


def _corpus(folder):
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    (folder / "b.txt").write_text(STORY.replace("Geneva", "Doha"), encoding="utf-8")
    (folder / "c.txt").write_text(STORY, encoding="utf-8")  # an exact copy: duplicate_of is set on the row
    (folder / "d.json").write_text('{"text": "', encoding="utf-8")  # broken: a rejection
    (folder / "e.txt").write_bytes(b"")  # empty: a rejection made before any read
    (folder / "manifest.csv").write_text("file,publisher\na.txt,Daily Wire\n", encoding="utf-8")
    return folder


def _counting(monkeypatch):
    calls = []
    real = ingest_articles._records

    def counted(f, data, max_bytes):
        calls.append(f.source_file)
        return real(f, data, max_bytes)
    monkeypatch.setattr(ingest_articles, "_records", counted)
    return calls


def test_a_rerun_reads_unchanged_files_from_the_cache_and_gives_the_same_tables(tmp_path, monkeypatch):
    corpus, cache = _corpus(tmp_path / "in"), tmp_path / "cache"
    plain = ingest_folder(corpus)
    calls = _counting(monkeypatch)
    first = ingest_folder(corpus, files_cache=cache)
    assert sorted(calls) == ["a.txt", "b.txt", "c.txt", "d.json"]
    calls.clear()
    second = ingest_folder(corpus, files_cache=cache)
    assert calls == []  # nothing decoded or cleaned again
    for got in (first, second):
        pd.testing.assert_frame_equal(got[0], plain[0])
        pd.testing.assert_frame_equal(got[1], plain[1])
    assert second[0].set_index("source_file").loc["c.txt", "duplicate_of"] is not None  # marks are not cached


def test_a_changed_file_or_manifest_entry_is_read_again(tmp_path, monkeypatch):
    corpus, cache = _corpus(tmp_path / "in"), tmp_path / "cache"
    ingest_folder(corpus, files_cache=cache)
    calls = _counting(monkeypatch)
    (corpus / "b.txt").write_text(STORY.replace("Geneva", "Oslo"), encoding="utf-8")
    (corpus / "manifest.csv").write_text("file,publisher\na.txt,Evening Post\n", encoding="utf-8")
    articles, _ = ingest_folder(corpus, files_cache=cache)
    assert sorted(calls) == ["a.txt", "b.txt"]
    assert articles.set_index("source_file").loc["a.txt", "publisher"] == "Evening Post"
    assert "Oslo" in articles.set_index("source_file").loc["b.txt", "text"]
    pd.testing.assert_frame_equal(articles, ingest_folder(corpus)[0])


def test_a_code_change_starts_a_fresh_cache_and_a_damaged_one_is_recomputed(tmp_path, monkeypatch):
    corpus, cache = _corpus(tmp_path / "in"), tmp_path / "cache"
    ingest_folder(corpus, files_cache=cache)
    [written] = list(cache.glob("*.pkl"))
    assert written.stem == file_cache.ingest_version()
    monkeypatch.setattr(file_cache, "PACKAGES", (*file_cache.PACKAGES, "a-package-that-changed"))
    calls = _counting(monkeypatch)
    ingest_folder(corpus, files_cache=cache)
    assert len(calls) == 4 and len(list(cache.glob("*.pkl"))) == 2  # another version: nothing reused
    calls.clear()
    written.write_bytes(b"not a pickle")
    monkeypatch.undo()
    calls = _counting(monkeypatch)
    articles, _ = ingest_folder(corpus, files_cache=cache)
    assert len(calls) == 4
    pd.testing.assert_frame_equal(articles, ingest_folder(corpus)[0])
