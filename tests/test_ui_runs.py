"""Issue 16.6: the UI's executor, CLI builds under the build_all job, the release description, ignored files."""
import re
import subprocess
from pathlib import Path

import dagster as dg

from pipeline.defs.executor import executor_from_env

ROOT = Path(__file__).resolve().parent.parent


def test_in_process_executor_by_default(monkeypatch):
    monkeypatch.delenv("PARLEY_EXECUTOR", raising=False)
    assert executor_from_env() is dg.in_process_executor
    monkeypatch.setenv("PARLEY_EXECUTOR", "multiprocess")
    assert executor_from_env() is dg.multiprocess_executor


def test_cli_builds_are_listed_as_build_all_runs(built_seeds):
    runs = dg.DagsterInstance.get().get_run_records(
        filters=dg.RunsFilter(tags={"parley/launched_by": "parley build"}), limit=1)
    assert runs and runs[0].dagster_run.job_name == "build_all"
    assert runs[0].dagster_run.status == dg.DagsterRunStatus.SUCCESS


def test_release_description_shows_its_paths_in_markdown():
    from pipeline.definitions import defs
    spec = next(s for s in defs().resolve_all_asset_specs() if s.key == dg.AssetKey("release"))
    outside_code = re.sub(r"`[^`]*`", "", spec.description)
    assert "<" not in outside_code  # an HTML-like <version> outside a code span vanishes in the UI
    assert "`<data>/releases/<version>/`" in spec.description


def test_ui_notes_and_exported_zips_are_ignored_by_git():
    done = subprocess.run(["git", "check-ignore", ".nux/state.json", "parley-csv.zip", "out/release.zip"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.split() == [".nux/state.json", "parley-csv.zip", "out/release.zip"]
