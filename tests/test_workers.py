"""Issue 18: extraction workers are forked warm (model and extractors' tables loaded once, by their server), the
server can be started early and stopped at any time, and a build starts it early only when it expects to parse. That they die with a killed parent: tests/test_crash_safety.py; same rows as one pass:
tests/test_extraction_cache.py."""
import sys
import time
from multiprocessing import forkserver

from pipeline.nlp import workers


def _state(_):
    from pipeline.nlp.model import load_nlp
    return load_nlp.cache_info().currsize, "pipeline.nlp.warm" in sys.modules, time.process_time()


def test_a_worker_starts_with_the_model_loaded_and_the_extractors_run_once():
    with workers.worker_pool(1) as pool:
        models, warmed, cpu = pool.apply(_state, (0,))
    assert models == 1 and warmed  # loaded before the worker existed, by the server it was forked from
    assert cpu < 1.0  # a fork: no imports, no model load of its own (a spawned worker spent ~6 s here)


def test_stop_workers_ends_a_server_even_while_it_is_still_warming():
    workers.start_workers()
    pid = forkserver._forkserver._forkserver_pid
    assert pid is not None
    began = time.monotonic()
    workers.stop_workers()  # straight away: the server is still importing and loading the model
    assert time.monotonic() - began < 5
    assert forkserver._forkserver._forkserver_pid is None
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_the_build_starts_the_workers_early_before_a_first_parse_of_enough_articles_or_new_input(tmp_path):
    from pipeline import seen_files
    from pipeline.cli import _will_parse
    corpus, data = tmp_path / "in", tmp_path / "data"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Talks resumed. " * 20)
    files = seen_files.snapshot(corpus)
    assert not _will_parse(corpus, data, files)  # a few articles: parsed in the step's own process
    (corpus / "b.txt").write_text("Talks resumed. " * 10_000)
    files = seen_files.snapshot(corpus)
    assert _will_parse(corpus, data, files)  # no cache: every article will be parsed, by workers
    (data / "cache" / "extract").mkdir(parents=True)
    assert _will_parse(corpus, data, files)
    (data / "cache" / "extract" / "0123abcd").mkdir()
    assert _will_parse(corpus, data, files)  # a cache, but no build has recorded what it saw
    seen_files.remember(files, data)
    assert not _will_parse(corpus, data, seen_files.snapshot(corpus))  # a re-run with nothing new
    (corpus / "sub").mkdir()
    (corpus / "sub" / "c.txt").write_text("Talks resumed. ")
    assert _will_parse(corpus, data, seen_files.snapshot(corpus))  # one new article, even a short one
    (corpus / "sub" / "c.txt").unlink()
    (corpus / "a.txt").write_text("Talks resumed! " * 20)  # same name and size, written again
    assert _will_parse(corpus, data, seen_files.snapshot(corpus))
    (corpus / "a.txt").unlink()
    assert not _will_parse(corpus, data, seen_files.snapshot(corpus))  # a file gone: nothing to parse


def test_a_started_server_parses_even_one_new_article_in_a_worker(tmp_path, monkeypatch):
    """After start_workers() (a build that expects new articles) the pool is used below PARALLEL_FROM: this
    process never runs an extractor (so never builds their tables); without it, one article is parsed here."""
    import pandas as pd

    from pipeline.nlp import extract
    from pipeline.nlp.cache import ExtractionCache
    here = []
    real = extract.extract_batch
    monkeypatch.setattr(extract, "extract_batch", lambda *a, **kw: here.append(1) or real(*a, **kw))
    articles = pd.DataFrame({"article_id": ["a1", "a2"], "published_date": [None, None],
                             "text": ["Negotiators met in Geneva on Monday.", "Talks resumed."]})
    workers.start_workers()
    try:
        assert workers.started()
        assert extract.parse_missing(articles[:1], ExtractionCache(tmp_path / "cache")) == 1
    finally:
        workers.stop_workers()
    assert not workers.started() and here == []  # parsed by a worker: the monkeypatch is not in the fork
    assert extract.parse_missing(articles, ExtractionCache(tmp_path / "cache")) == 1  # a1 cached; a2 parsed here
    assert here == [1]
