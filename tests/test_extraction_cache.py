import pandas as pd
import pytest

from pipeline.nlp import extract
from pipeline.nlp.cache import ExtractionCache


def articles(*texts):
    return pd.DataFrame({"article_id": [f"art-{i}" for i in range(len(texts))], "text": list(texts),
                         "published_date": [None] * len(texts)})


def test_rerun_parses_only_new_articles(tmp_path, monkeypatch):
    cache = ExtractionCache(tmp_path, version="v1")
    first = extract.extract_corpus(articles("Talks began. They ended.", "A second text. It has two sentences."), cache)
    parsed = []
    real = extract.extract_task
    monkeypatch.setattr(extract, "extract_task", lambda items, **kw: parsed.append([i[0] for i in items]) or real(items, **kw))
    more = articles("Talks began. They ended.", "A second text. It has two sentences.", "A third one arrives.")
    second = extract.extract_corpus(more, cache)
    assert parsed == [["art-2"]]
    pd.testing.assert_frame_equal(second["sentences"][second["sentences"]["article_id"] != "art-2"],
                                  first["sentences"])
    assert list(second["sentences"]["article_id"].unique()) == ["art-0", "art-1", "art-2"]


def test_an_article_whose_publication_date_changed_is_parsed_again(tmp_path, monkeypatch):
    """Relative dates are resolved against the publication date: the same text with a corrected date (a manifest
    fixed) is parsed again, and the tables hold what a run from scratch gives."""
    from datetime import date
    cache = ExtractionCache(tmp_path, version="v1")
    corpus = articles("The delegations met yesterday in Geneva.", "No dates here.")
    corpus["published_date"] = [date(2022, 3, 1), None]
    first = extract.extract_corpus(corpus, cache)
    assert list(first["dates"]["day"]) == [28]
    parsed = []
    real = extract.extract_task
    monkeypatch.setattr(extract, "extract_task", lambda items, **kw: parsed.append([i[0] for i in items]) or real(items, **kw))
    corpus["published_date"] = [date(2022, 3, 10), None]
    second = extract.extract_corpus(corpus, cache)
    assert parsed == [["art-0"]]
    assert list(second["dates"]["day"]) == [9]
    fresh = extract.extract_corpus(corpus, ExtractionCache(tmp_path / "fresh", version="v1"))
    for table, df in fresh.items():
        pd.testing.assert_frame_equal(second[table], df, check_dtype=False)


def test_cached_tables_are_the_same_bytes_whatever_was_cached_before(tmp_path):
    """Rows come in the corpus's article order and with the same Arrow types however they were split into
    shards, so a release built from a warm cache is identical to one built from scratch."""
    texts = ("Talks began in Geneva on 3 March. They ended.", "No dates here.", "Putin met Erdogan on 5 May 2022.")
    corpus = articles(*texts)
    whole, _ = extract.extract_files(corpus, ExtractionCache(tmp_path / "a", version="v1"))
    piecewise = ExtractionCache(tmp_path / "b", version="v1")
    extract.extract_files(corpus.iloc[[2]], piecewise)  # one article cached alone first, out of order
    extract.parse_missing(corpus.iloc[[1]], piecewise)  # another left as a shard
    files, parsed = extract.extract_files(corpus, piecewise)
    assert parsed == 1
    for table, path in whole.items():
        assert path.read_bytes() == files[table].read_bytes(), table


def test_removed_articles_drop_out_and_version_change_starts_fresh(tmp_path):
    extract.extract_corpus(articles("One. Two.", "Three. Four."), ExtractionCache(tmp_path, version="v1"))
    again = extract.extract_corpus(articles("One. Two."), ExtractionCache(tmp_path, version="v1"))
    assert set(again["sentences"]["article_id"]) == {"art-0"}
    assert ExtractionCache(tmp_path, version="v2").done() == set()


def test_tasks_and_worker_processes_give_the_same_rows_as_one_pass(monkeypatch):
    corpus = articles("Talks began in Geneva. They ended.", "Putin spoke. Zelensky answered.", "A third text.")
    whole = extract.extract_fresh(corpus, n_process=1)
    monkeypatch.setattr(extract, "TASK_ARTICLES", 1)
    for n_process in (1, 2):
        split = extract.extract_fresh(corpus, n_process=n_process)
        for table, df in whole.items():
            pd.testing.assert_frame_equal(split[table], df, check_dtype=False)


def test_worker_tasks_shrink_at_the_end_and_keep_every_article_in_order():
    """With more articles than a task per process the tail is cut smaller so the workers finish together; with
    fewer the articles are shared out evenly, one task a process."""
    n = 10 * extract.TASK_ARTICLES
    corpus = pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "text": [f"text {i}" for i in range(n)],
                           "published_date": [None] * n})
    for share in (False, True):
        sizes = [len(task) for task in extract._tasks(corpus, n_process=2, share_copies=share)]
        assert sum(sizes) == n and max(sizes) == extract.TASK_ARTICLES
        assert sizes == sorted(sizes, reverse=True) and sizes[-2] == extract.TAIL_ARTICLES
        tasks = extract._tasks(corpus, n_process=2, share_copies=share)
        assert [item[0] for task in tasks for item in task] == list(corpus["article_id"])
        assert [len(t) for t in extract._tasks(corpus.head(30), n_process=2, share_copies=share)] == [15, 15]
    assert [len(t) for t in extract._tasks(corpus, n_process=1)] == [extract.TASK_ARTICLES] * 10


@pytest.mark.parametrize("crash_at, parsed_again", [(3, 1), (13, 2)])
def test_a_crash_while_writing_the_cache_loses_no_article_and_the_next_run_recovers(tmp_path, monkeypatch,
                                                                                   crash_at, parsed_again):
    """A shard's article list is written last, and the main one is removed before the main files are rewritten
    and written last: a crash while the new article's shard is written (file 3) leaves the shard ignored, a crash
    while compacting (file 13: a shard is 9 tables and its list) leaves the main files ignored. Either way the
    next run parses what it cannot trust again and gives the same files as a run from scratch."""
    from pipeline.nlp import cache as cache_module

    corpus = articles("Talks began in Geneva. They ended.", "Putin spoke. Zelensky answered.", "A third text.")
    cache = ExtractionCache(tmp_path, version="v1")
    extract.extract_files(corpus.iloc[:2], cache)
    expected = {table: path.read_bytes() for table, path in extract.extract_files(corpus, ExtractionCache(
        tmp_path / "fresh", version="v1"))[0].items()}
    real, calls = cache_module.write_parquet, []

    def dies(table, path):
        calls.append(path.name)
        if len(calls) == crash_at:
            raise OSError("disk full")
        real(table, path)

    monkeypatch.setattr(cache_module, "write_parquet", dies)
    try:
        extract.extract_files(corpus, cache)  # a shard for the new article, then the compaction dies
    except OSError:
        pass
    monkeypatch.setattr(cache_module, "write_parquet", real)
    files, parsed = extract.extract_files(corpus, cache)
    assert parsed == parsed_again
    assert {table: path.read_bytes() for table, path in files.items()} == expected
