"""Builds and readers at the same time on one data folder.

A second `parley build` while one is running fails at once with one clear line (pipeline/publish/lock.py: one
writer per data folder, the CLI does not wait); the running build finishes untouched. A reader running
`parley query` in a loop during builds always sees a complete release: releases are renamed in whole and never
changed, and LATEST is replaced atomically.
"""
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.publish.card import sha256
from pipeline.publish.release import latest_version, list_releases

ROOT = Path(__file__).resolve().parent.parent
EXTRA = ("Delegations met in Geneva on Monday for a new round of peace talks. "
         "They agreed to exchange prisoners and to meet again.")

# `parley build` that stops inside its release step (argv: input, data, marker file, go file, seconds): the marker
# appears once the build holds the data folder's lock and is inside the release step; the build goes on when the
# go file appears (or after the given seconds when there is none to wait for).
SLOW_RELEASE_BUILD = r"""
import sys, time
from pathlib import Path
from pipeline.cli import main
from pipeline.publish import release

source, data, marker, go, pause = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), float(sys.argv[5])
real = release.sha256  # called once per table written into the release folder
calls = []

def slow(path):
    calls.append(1)
    if len(calls) == 2:
        marker.touch()
        deadline = time.monotonic() + pause
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return real(path)

release.sha256 = slow
sys.exit(main(["build", "--input", source, "--data", data]))
"""


def env(tmp_path: Path) -> dict:
    return {**os.environ, "PARLEY_DAGSTER_STORAGE": str(tmp_path / "dagster")}


def slow_build(tmp_path: Path, source: Path, data: Path, marker: Path, pause: float,
               go: Path | None = None) -> subprocess.Popen:
    go = go or tmp_path / "no-go-file"
    return subprocess.Popen([sys.executable, "-c", SLOW_RELEASE_BUILD, str(source), str(data), str(marker), str(go),
                             str(pause)], cwd=ROOT, env=env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for(path: Path, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def assert_complete(data: Path) -> None:
    for manifest in list_releases(data):
        folder = data / "releases" / manifest["version"]
        for table in manifest["tables"].values():
            assert sha256(folder / table["file"]) == table["sha256"]


def with_extra(seeds_dir: Path, tmp_path: Path) -> Path:
    more = tmp_path / "more"
    shutil.copytree(seeds_dir, more)
    (more / "extra.txt").write_text(EXTRA, encoding="utf-8")
    return more


def test_second_build_fails_fast_with_one_line_while_first_finishes(tmp_path, seeds_dir, built_seeds):
    """Synchronised on the lock, not on time: the first build holds the data folder's lock inside its release
    step until the second build has failed, however long the second takes to start."""
    data, marker, go = tmp_path / "data", tmp_path / "in-release", tmp_path / "go"
    shutil.copytree(built_seeds, data)  # the session's build: the first build re-runs it from its caches
    first = slow_build(tmp_path, seeds_dir, data, marker, pause=600, go=go)
    try:
        wait_for(marker, first)
        more = with_extra(seeds_dir, tmp_path)
        second = subprocess.run([sys.executable, "-m", "pipeline.cli", "build", "--input", str(more), "--data",
                                 str(data)], cwd=ROOT, env=env(tmp_path), capture_output=True, text=True, timeout=300)
        assert first.poll() is None, "the first build should still hold the lock"
    finally:
        go.touch()
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err[-3000:]

    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert second.stderr.strip().splitlines()[-1] == \
        f"parley: another parley build is writing to {data}; try again when it has finished"
    assert len(list_releases(data)) == 1 and latest_version(data) in out
    assert_complete(data)


@pytest.mark.slow
def test_reader_always_sees_a_complete_release(tmp_path, seeds_dir):
    data, more = tmp_path / "data", with_extra(seeds_dir, tmp_path)
    seen: list[tuple[int, str, str]] = []
    stop = threading.Event()

    def reader():
        sql = "select (select count(*) from articles) as a, (select count(*) from sentences) as s"
        while not stop.is_set():
            proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "query", sql, "--data", str(data),
                                   "--format", "json"], cwd=ROOT, capture_output=True, text=True)
            seen.append((proc.returncode, proc.stdout, proc.stderr))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n, source in enumerate((seeds_dir, more)):
            build = slow_build(tmp_path, source, data, tmp_path / f"marker-{n}", pause=2)
            _, err = build.communicate(timeout=300)
            assert build.returncode == 0, err[-3000:]
    finally:
        stop.set()
        thread.join()

    counts = {m["tables"]["articles"]["rows"]: m["tables"]["sentences"]["rows"] for m in list_releases(data)}
    assert sorted(counts) == [5, 6]
    answers = []
    for rc, out, err in seen:
        if rc == 0:
            row = json.loads(out)[0]
            answers.append((row["a"], row["s"]))
        else:
            assert not answers and err.startswith("parley: no release yet"), err
    assert answers, "the reader never saw a release"
    assert all(counts[a] == s for a, s in answers)        # the tables of one release, never a mix
    assert answers == sorted(answers)                     # never back to an older release
    assert_complete(data)
