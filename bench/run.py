"""Benchmark: the pipeline against spaCy's bare nlp.pipe over the same texts, and a re-run with 1 % new articles.

    python bench/run.py [--sizes 400,1000,10000] [--repeat 2] [--seed 7] [--stage build|extract]

For each size a child process (so sizes never share memory) generates the corpus into a temporary folder and
times, in this order:
  1. bare    `for doc in nlp.pipe(texts, n_process, batch_size): pass` with the model as shipped (the
             pipeline's parse swaps its attribute_ruler for an equivalent lookup) and the pipeline's texts,
             n_process and batch size: the floor, spaCy as shipped (in a process of its own, so its memory
             never counts as the pipeline's);
  2. full    the pipeline on the corpus with an empty extraction cache: `--stage build` (default) is exactly
             `parley build` (every Dagster asset and check, and the release); `--stage extract` is only
             ingest_folder -> extract_corpus, the per-article part without Dagster;
  3. re-run  after adding 1 % new articles to the folder, the same again with the cache warm.
It prints articles/second for bare and full, full/bare (target >= 0.8 at 10k), re-run/full (target < 0.10) and
the peak RSS of the full run, sampled from /proc: of the pipeline process alone, and of it plus its worker
processes added together (with bare nlp.pipe's own peak, workers included, for comparison).
"""
from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def _rss_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS")), 0)
    except OSError:
        return 0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    kids = [int(c) for c in f.read().split()]
                out += kids
                todo += kids
        except OSError:
            pass
    return out


class PeakMemory:
    """Peak RSS while the block runs, sampled every 0.2 s from /proc: of this process alone, and of this process
    plus every process under it (spaCy and extraction workers) added together."""

    def __init__(self):
        self.main_mb = self.tree_mb = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            main = _rss_mb(me)
            self.main_mb = max(self.main_mb, main)
            self.tree_mb = max(self.tree_mb, main + sum(_rss_mb(p) for p in _descendants(me)))

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _bare(corpus: Path, n_process: int, batch_size: int, results) -> None:
    """In a process of its own, so its memory never counts as the pipeline's: (seconds, words) on `results`."""
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    from pipeline.ingest.articles import ingest_folder
    from pipeline.nlp.model import load_stock_nlp
    texts = list(ingest_folder(corpus)[0]["text"])
    # spaCy as shipped (the pipeline's own parse replaces its attribute_ruler with an equivalent lookup), loaded
    # before the clock starts, as the pipeline's workers load theirs
    nlp = load_stock_nlp()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
        pass
    results.put((time.perf_counter() - start, sum(len(t.split()) for t in texts)))


def _run_bare(corpus: Path, n_process: int, batch_size: int) -> tuple[float, int]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_bare, args=(corpus, n_process, batch_size, results))
    process.start()
    out = results.get()
    process.join()
    return out


def _pipeline(stage: str, corpus: Path, data: Path) -> float:
    """Seconds for one pipeline run over `corpus` with `data` as the data folder (its cache included)."""
    start = time.perf_counter()
    if stage == "build":
        from pipeline.cli import main
        with contextlib.redirect_stdout(io.StringIO()):  # the build's own log would drown the results
            status = main(["build", "--input", str(corpus), "--data", str(data)])
        if status != 0:
            raise SystemExit(f"parley build failed with status {status}")
    else:
        from pipeline.ingest.articles import ingest_folder
        from pipeline.nlp.cache import ExtractionCache
        from pipeline.nlp.extract import extract_corpus
        articles, _ = ingest_folder(corpus)
        extract_corpus(articles, cache=ExtractionCache(data / "cache" / "extract"))
    return time.perf_counter() - start


def measure(n: int, seed: int, stage: str) -> dict:
    """One size, in this process: the child's job."""
    import logging

    from generate import write_corpus
    from pipeline.nlp.extract import default_processes, extract_fresh

    logging.getLogger("dagster").setLevel(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix=f"parley-bench-{n}-"))
    os.environ["DAGSTER_HOME"] = os.environ["PARLEY_DAGSTER_STORAGE"] = str(work / "dagster")
    (work / "dagster").mkdir()
    (work / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    corpus = work / "corpus"
    write_corpus(corpus, n, seed)
    n_process = default_processes(n)
    batch_size = inspect.signature(extract_fresh).parameters["batch_size"].default  # so both sides pipe alike

    with PeakMemory() as bare_memory:
        bare, words = _run_bare(corpus, n_process, batch_size)
    print(f"{n} articles: bare nlp.pipe {bare:.1f}s", file=sys.stderr, flush=True)  # kept if a later phase fails
    with PeakMemory() as full_memory:
        full = _pipeline(stage, corpus, work / "data")
    print(f"{n} articles: full {stage} {full:.1f}s, peak RSS {full_memory.main_mb} MB "
          f"({full_memory.tree_mb} MB with workers)", file=sys.stderr, flush=True)
    added = max(1, n // 100)
    write_corpus(corpus, added, seed, start=n)
    with PeakMemory() as rerun_memory:
        rerun = _pipeline(stage, corpus, work / "data")
    return {
        "articles": n, "words": words, "stage": stage, "n_process": n_process, "batch_size": batch_size,
        "bare_s": round(bare, 1), "full_s": round(full, 1), "rerun_s": round(rerun, 1), "rerun_added": added,
        "bare_aps": round(n / bare, 2), "full_aps": round(n / full, 2), "full_vs_bare": round(bare / full, 3),
        "rerun_vs_full": round(rerun / full, 3),
        "peak_rss_mb": full_memory.main_mb, "peak_rss_with_workers_mb": full_memory.tree_mb,
        "rerun_peak_rss_mb": rerun_memory.main_mb, "bare_peak_rss_with_workers_mb": bare_memory.tree_mb,
        "work_dir": str(work),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--stage", choices=("build", "extract"), default="build")
    p.add_argument("--repeat", type=int, default=1,
                   help="runs per size, each in a fresh child with its own corpus folder and cache; the best "
                        "full/bare of them is printed last (issue 18 asks for the best of two)")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.seed, args.stage)), flush=True)
        return
    header = (f"{'articles':>8} {'words':>10} {'bare a/s':>9} {'full a/s':>9} {'full/bare':>9} "
              f"{'rerun/full':>10} {'peak RSS MB':>11} {'+workers MB':>11} {'bare+workers MB':>15}")
    print(header, flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        runs = [_child(n, args) for _ in range(max(1, args.repeat))]
        if len(runs) > 1:
            best = max(runs, key=lambda r: r["full_vs_bare"])
            print(f"{n:>8} best of {len(runs)}: full/bare {best['full_vs_bare']} "
                  f"(all: {', '.join(str(r['full_vs_bare']) for r in runs)}); re-run/full "
                  f"{min(r['rerun_vs_full'] for r in runs)} best, {max(r['rerun_vs_full'] for r in runs)} worst; "
                  f"peak RSS {max(r['peak_rss_mb'] for r in runs)} MB worst", flush=True)


def _child(n: int, args) -> dict:
    """One measurement of size n in a child process of its own; its row printed, its figures returned."""
    out = subprocess.run([sys.executable, __file__, "--child", str(n), "--seed", str(args.seed),
                          "--stage", args.stage], check=True, stdout=subprocess.PIPE, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    print(f"{r['articles']:>8} {r['words']:>10} {r['bare_aps']:>9} {r['full_aps']:>9} {r['full_vs_bare']:>9} "
          f"{r['rerun_vs_full']:>10} {r['peak_rss_mb']:>11} {r['peak_rss_with_workers_mb']:>11} "
          f"{r['bare_peak_rss_with_workers_mb']:>15}", flush=True)
    print("  " + json.dumps(r), flush=True)
    return r


if __name__ == "__main__":
    main()
