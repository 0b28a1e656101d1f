"""Issue 18: extraction workers are forked warm (model and extractors' tables loaded once, by their server), the
server can be started early and stopped at any time, and a build starts it early only before a first parse. That they die with a killed parent: tests/test_crash_safety.py; same rows as one pass:
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


def test_the_build_starts_the_workers_early_only_before_its_first_parse_of_enough_articles(tmp_path):
    from pipeline.cli import _parses_everything
    corpus, data = tmp_path / "in", tmp_path / "data"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Talks resumed. " * 20)
    assert not _parses_everything(corpus, data)  # a few articles: parsed in the step's own process
    (corpus / "b.txt").write_text("Talks resumed. " * 10_000)
    assert _parses_everything(corpus, data)  # no cache: every article will be parsed, by workers
    (data / "cache" / "extract").mkdir(parents=True)
    assert _parses_everything(corpus, data)
    (data / "cache" / "extract" / "0123abcd").mkdir()
    assert not _parses_everything(corpus, data)  # a re-run may parse nothing: started only if a pool is needed
