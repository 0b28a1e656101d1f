"""`build_all` as the UI runs it against `parley build`, on the seeds (issue 16.6). Cheap: three cold builds.

A UI launch starts a run worker that loads the code location and executes the job with the project's executor;
`dagster job execute` does exactly that in one command, without a webserver. Each build gets a fresh data folder
(cold extraction cache) and a throwaway Dagster home. Usage: python bench/ui_vs_cli.py [input folder]
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _timed(command: list[str], env: dict) -> float:
    start = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.monotonic() - start


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "seeds").resolve()
    results = {}
    with tempfile.TemporaryDirectory(prefix="parley-ui-vs-cli-") as tmp:
        for label, executor, command in [
            ("parley build (CLI)", None, [str(BIN / "parley"), "build", "--input", str(source)]),
            ("build_all, in_process executor", "in_process", None),
            ("build_all, multiprocess executor", "multiprocess", None)]:
            home = Path(tmp) / label.replace(" ", "_").replace(",", "").replace("(", "").replace(")", "")
            home.mkdir()
            shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
            data = home / "data"
            env = {**os.environ, "DAGSTER_HOME": str(home), "PARLEY_DAGSTER_STORAGE": str(home / "storage"),
                   "PARLEY_INPUT_DIR": str(source), "PARLEY_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
            if executor:
                env["PARLEY_EXECUTOR"] = executor
                command = [str(BIN / "dagster"), "job", "execute", "-m", "pipeline.definitions", "-a", "defs",
                           "-j", "build_all"]
            else:
                command = [*command, "--data", str(data)]
            results[label] = _timed(command, env)
            print(f"{label}: {results[label]:.1f} s", flush=True)
    cli = results["parley build (CLI)"]
    for label, seconds in results.items():
        print(f"  {label:<34} {seconds:6.1f} s  {seconds / cli:4.2f}x the CLI")


if __name__ == "__main__":
    main()
