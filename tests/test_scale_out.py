"""Scale-out: a two-partition backfill of extract_batches through dagster-celery, a local Redis and two workers.

Everything listens on 127.0.0.1 only. The executor is chosen by configuration alone (PARLEY_EXECUTOR=celery),
so the driver below runs the project's own job unchanged, in a process of its own with that environment.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS = shutil.which("redis-server")
CELERY = Path(sys.executable).parent / "celery"

DRIVER = '''
import json, os, sys
import dagster as dg
from pipeline.definitions import defs
from pipeline.defs.extract.batches import register_batches
from pipeline.defs.ingest.articles import ingest
from pipeline.nlp.cache import ExtractionCache


def extract_batches():
    return defs().resolve_job_def("extract_batches")


if __name__ == "__main__":
    with dg.DagsterInstance.get() as instance:
        ingested = dg.materialize([ingest], instance=instance, resources=defs().resources)
        articles = ingested.output_for_node("ingest", "articles")
        keys = register_batches(instance, articles, os.environ["PARLEY_DATA_DIR"], size=3)
        runs = []
        for key in keys:
            result = dg.execute_job(dg.reconstructable(extract_batches), instance, tags={"dagster/partition": key})
            workers = {e.event_specific_data.metadata["Celery worker"].value for e in result.all_events
                       if e.event_type_value == "ENGINE_EVENT" and "Celery worker" in e.event_specific_data.metadata}
            runs.append({"key": key, "success": result.success, "workers": sorted(workers)})
        done = ExtractionCache(os.path.join(os.environ["PARLEY_DATA_DIR"], "cache", "extract")).done()
        print(json.dumps({"runs": runs, "cached": len(done), "articles": len(articles)}))
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"redis-server did not listen on 127.0.0.1:{port}")


@pytest.mark.slow
@pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (CI installs it: apt-get install redis-server)")
def test_two_partition_backfill_through_celery_workers(tmp_path, seeds_dir):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {**os.environ, "PARLEY_EXECUTOR": "celery", "PARLEY_CELERY_BROKER": url, "PARLEY_CELERY_BACKEND": url,
           "CELERY_BROKER_URL": url, "CELERY_RESULT_BACKEND": url, "DAGSTER_HOME": str(home),
           "PARLEY_DAGSTER_STORAGE": str(home), "PARLEY_INPUT_DIR": str(seeds_dir),
           "PARLEY_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    procs, logs = [], tmp_path / "logs"
    logs.mkdir()
    try:
        procs.append(subprocess.Popen([REDIS, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                       "--appendonly", "no"], stdout=subprocess.DEVNULL))
        wait_for_port(port)
        for name in ("w1", "w2"):
            procs.append(subprocess.Popen(
                [str(CELERY), "-A", "dagster_celery.app", "worker", "-Q", "dagster", "-c", "1", "-n", f"{name}@%h",
                 "--loglevel", "WARNING"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                stderr=(logs / f"{name}.log").open("w")))
        out = subprocess.run([sys.executable, str(driver)], env=env, cwd=ROOT, capture_output=True, text=True,
                             timeout=600)
        worker_logs = "".join(p.read_text()[-2000:] for p in sorted(logs.iterdir()))
        assert out.returncode == 0, out.stderr[-4000:] + worker_logs
        report = json.loads(out.stdout.strip().splitlines()[-1])
        assert len(report["runs"]) == 2 and all(run["success"] for run in report["runs"]), report
        assert all(run["workers"] and all(w.split("@")[0] in ("w1", "w2") for w in run["workers"])
                   for run in report["runs"]), report  # each step ran on one of our workers
        assert report["cached"] == report["articles"] == 5
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
