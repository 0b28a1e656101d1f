"""A build killed with SIGKILL while it writes a release leaves LATEST on the previous complete release, shows
no half-written release to `parley releases` or `parley query`, and the next build cleans up and succeeds.

SIGKILL cannot be caught, so nothing in the writer gets to tidy up: what is on disk is what a power-less stop
leaves (less the page cache, which write_release fsyncs before each rename).
"""
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.publish.catalog import CATALOG, catalog_version, write_catalog
from pipeline.publish.query import run_query
from pipeline.publish.card import sha256
from pipeline.publish.release import TMP_PREFIX, latest_version, list_releases, write_release

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 1, 2, tzinfo=timezone.utc)

# Runs write_release in a child that SIGKILLs itself at one point of the write (argv: data folder, point).
KILL_AT = r"""
import functools, os, signal, sys
from pathlib import Path
import pandas as pd
from pipeline.publish import catalog, release

data, point = Path(sys.argv[1]), sys.argv[2]
die = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
real_write, real_rename, real_replace = release.pq.write_table, os.rename, os.replace

def half_written(table, path, **kwargs):
    real_write(table, path, **kwargs)
    if Path(path).name == "sentences.parquet":  # the second table: the first one is complete
        with open(path, "r+b") as f:
            f.truncate(os.path.getsize(path) // 2)
        die()

if point == "mid_table":
    release.pq.write_table = half_written
elif point == "before_rename":
    release.os.rename = die
elif point == "before_latest":
    release._write_atomic = die
elif point == "mid_latest":
    release.os.replace = die
elif point == "in_catalog":  # inside the catalog's transaction, after its first view is replaced
    real_quote, quoted = catalog._quote, []
    def quote_then_die(text):
        quoted.append(text)
        if len(quoted) == 3:
            die()
        return real_quote(text)
    catalog._quote = quote_then_die
extras = die if point == "in_extras" else None
n = 400
tables = {"articles": pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "text": ["word " * 50] * n}),
          "sentences": pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "start": range(n), "end": range(n)})}
release.write_release(tables, data, "code-1", "fp-2", extras=extras,
                      before_latest=functools.partial(catalog.write_catalog, data))
"""


AFTER_RENAME = {"in_catalog", "before_latest", "mid_latest"}


def release_is_complete(data: Path, manifest: dict) -> None:
    folder = data / "releases" / manifest["version"]
    for table in manifest["tables"].values():
        assert sha256(folder / table["file"]) == table["sha256"]


def assert_only_complete_releases(data: Path) -> None:
    for manifest in list_releases(data):
        release_is_complete(data, manifest)


def catalog_count(data: Path, table: str = "articles") -> int:
    """Rows of a view of <data>/parley.duckdb, read as a user would with the duckdb module."""
    con = duckdb.connect(str(data / CATALOG), read_only=True)
    try:
        con.execute("SET file_search_path = ?", [str(data)])
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("point", ["mid_table", "in_extras", "before_rename", "in_catalog", "before_latest",
                                   "mid_latest"])
def test_write_release_killed_at_each_step(tmp_path, point, capsys):
    first = write_release({"articles": pd.DataFrame({"article_id": ["a0", "a1", "a2"]})}, tmp_path, "code-1", "fp-1",
                          now=NOW, before_latest=functools.partial(write_catalog, tmp_path))
    child = subprocess.run([sys.executable, "-c", KILL_AT, str(tmp_path), point], cwd=ROOT, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]

    assert latest_version(tmp_path) == first.version
    # The catalog is written before LATEST moves: killed after that, it is one release ahead until the next
    # `parley query` (or build) brings it back to LATEST; killed inside its transaction, it is unchanged.
    ahead = point in {"before_latest", "mid_latest"}
    assert (catalog_version(tmp_path) != first.version) == ahead
    assert main(["query", "select count(*) as n from articles", "--data", str(tmp_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 3}]
    assert catalog_version(tmp_path) == first.version and catalog_count(tmp_path) == 3
    assert run_query(tmp_path, "select count(*) from articles")[1] == [(3,)]
    assert_only_complete_releases(tmp_path)
    visible = [m["version"] for m in list_releases(tmp_path)]
    if point in AFTER_RENAME:  # the new release is complete and listed; LATEST moves on the next write
        assert len(visible) == 2 and visible[0] == first.version
    else:
        assert visible == [first.version]
        assert list((tmp_path / "releases").glob(TMP_PREFIX + "*")), "expected a temporary folder left behind"

    child = subprocess.run([sys.executable, "-c", KILL_AT, str(tmp_path), "none"], cwd=ROOT, capture_output=True)
    assert child.returncode == 0, child.stderr.decode()[-2000:]
    assert not list((tmp_path / "releases").glob(TMP_PREFIX + "*"))
    assert run_query(tmp_path, "select count(*) from articles")[1] == [(400,)]
    assert latest_version(tmp_path) != first.version
    assert catalog_version(tmp_path) == latest_version(tmp_path) and catalog_count(tmp_path, "sentences") == 400
    assert_only_complete_releases(tmp_path)


# `parley build` with the release step slowed down once its first table is written, so the test can kill it
# there (argv: input folder, data folder).
SLOW_RELEASE_BUILD = r"""
import sys, time
from pipeline.cli import main
from pipeline.publish.catalog import CATALOG, write_catalog
from pipeline.publish import release

real = release.sha256  # called once per table written into the release folder
calls = []

def slow(path):
    calls.append(1)
    if len(calls) == 2:
        time.sleep(120)
    return real(path)

release.sha256 = slow
sys.exit(main(["build", "--input", sys.argv[1], "--data", sys.argv[2]]))
"""


def cli(*args: str) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.slow
def test_real_build_killed_during_release_step(tmp_path, seeds_dir, built_seeds):
    data, more = tmp_path / "data", tmp_path / "more"
    shutil.copytree(seeds_dir, more)
    (more / "extra.txt").write_text("Delegations met in Geneva on Monday for a new round of peace talks. "
                                    "They agreed to exchange prisoners.", encoding="utf-8")
    shutil.copytree(built_seeds, data)  # the seeds built once for the session, copied: this test changes them
    before = latest_version(data)

    env = {**os.environ, "PARLEY_DAGSTER_STORAGE": str(tmp_path / "dagster")}
    child = subprocess.Popen([sys.executable, "-c", SLOW_RELEASE_BUILD, str(more), str(data)], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not list((data / "releases").glob(f"{TMP_PREFIX}*/*.parquet")):
            assert child.poll() is None and time.monotonic() < deadline, "the build never reached the release step"
            time.sleep(0.1)
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()

    assert latest_version(data) == before and catalog_version(data) == before
    assert list((data / "releases").glob(TMP_PREFIX + "*")), "the kill should leave the temporary folder behind"
    rc, out = cli("releases", "--data", str(data))
    assert rc == 0 and out.count("\n") == 1 and out.startswith(f"* {before}")
    rc, out = cli("query", "select count(*) as n from articles", "--data", str(data), "--format", "json")
    assert rc == 0 and json.loads(out) == [{"n": 5}]

    assert main(["build", "--input", str(more), "--data", str(data)]) == 0
    assert latest_version(data) != before
    assert not list((data / "releases").glob(TMP_PREFIX + "*"))
    assert not list(data.glob(TMP_PREFIX + "*"))
    assert run_query(data, "select count(*) from articles")[1] == [(6,)]
    assert catalog_version(data) == latest_version(data) and catalog_count(data) == 6
    assert_only_complete_releases(data)


def test_catalog_left_half_written_is_cleaned_on_next_write(tmp_path):
    info = write_release({"articles": pd.DataFrame({"article_id": ["a0"]})}, tmp_path, "code-1", "fp-1", now=NOW)
    stale = tmp_path / f"{TMP_PREFIX}0123abcd-{CATALOG}"
    stale.write_bytes(b"half a duckdb file")
    write_catalog(tmp_path, info.path)
    assert not stale.exists() and (tmp_path / CATALOG).is_file()


# A parent holding a pool of extraction workers, each blocked in a job that announces itself on the shared stdout
# (argv: "pool" for pipeline.nlp.workers.worker_pool, "watchdog" for the same initializer without prctl).
POOL_PARENT = r"""
import os, sys, multiprocessing
from pipeline.nlp.workers import die_with_parent, worker_pool
from blocking_job import job

if sys.argv[1] == "pool":
    pool = worker_pool(2)
else:
    pool = multiprocessing.get_context("spawn").Pool(2, initializer=die_with_parent, initargs=(os.getpid(), False))
pool.map(job, range(2), chunksize=1)
"""
BLOCKING_JOB = '''
import os, threading
def job(_):
    os.write(1, f"started {os.getpid()}\\n".encode())  # one write: two workers' lines never interleave
    threading.Event().wait()  # blocks until the process is killed
'''


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has died; only its exit status waits to be collected


@pytest.mark.parametrize("how", ["pool", "watchdog"])
def test_extraction_workers_die_with_a_killed_parent(tmp_path, how):
    (tmp_path / "blocking_job.py").write_text(BLOCKING_JOB)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    parent = subprocess.Popen([sys.executable, "-c", POOL_PARENT, how], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              text=True)
    try:
        workers = [int(parent.stdout.readline().split()[1]) for _ in range(2)]  # both workers are in their job
        assert all(_alive(pid) for pid in workers)
        parent.kill()
        parent.wait()
        # The workers share the parent's stdout: the pipe reaches its end once the last of them has exited.
        reader = threading.Thread(target=parent.stdout.read, daemon=True)
        reader.start()
        reader.join(timeout=60)
        assert not reader.is_alive(), "a worker outlived its parent"
        assert not any(_alive(pid) for pid in workers)
    finally:
        parent.kill()
        for pid in locals().get("workers", []):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
