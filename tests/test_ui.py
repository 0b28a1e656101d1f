"""The Dagster UI end to end: start `dg dev` (as `make ui` does), then drive it over GraphQL like the browser."""
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from dagster_graphql import DagsterGraphQLClient

from schemas import TABLES

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STARTUP_SECONDS = 120
RUN_SECONDS = 300

LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
ASSETS = """{ assetNodes { assetKey { path } groupName hasAssetChecks } }"""
CHECKS = """{ assetNodes { assetKey { path }
  assetChecksOrError { ... on AssetChecks { checks { name blocking
    executionForLatestMaterialization { status runId evaluation { success } } } } }
  assetMaterializations(limit: 1) { runId metadataEntries { label } } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path) -> dict:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "DAGSTER_HOME": str(home), "PARLEY_DAGSTER_STORAGE": str(tmp_path / "storage"),
            "PARLEY_INPUT_DIR": str(ROOT / "seeds"), "PARLEY_DATA_DIR": str(tmp_path / "data"),
            "PARLEY_EXECUTOR": "in_process",  # one process for the run: no subprocess (and spaCy load) per step
            "VIRTUAL_ENV": str(VENV), "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}


def _stop(proc: subprocess.Popen) -> None:
    """dagster dev shuts its webserver, daemon and code server down on SIGINT; SIGKILL the group if it hangs."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


def _server_up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_for_code_location(port: int, proc: subprocess.Popen, log: Path) -> None:
    """/server_info answers before the code location has loaded; the assets appear only after that."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"dg dev exited:\n{log.read_text()[-3000:]}"
        if _server_up(port):
            entries = _graphql(port, LOCATIONS)["workspaceOrError"]["locationEntries"]
            if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                errors = [e["locationOrLoadError"] for e in entries
                          if e["locationOrLoadError"]["__typename"] == "PythonError"]
                assert not errors, errors
                return
        time.sleep(1)
    raise AssertionError(f"code location not loaded after {STARTUP_SECONDS}s:\n{log.read_text()[-3000:]}")


@pytest.mark.slow
def test_dg_check_defs_prints_no_warnings(tmp_path):
    out = subprocess.run([str(VENV / "bin" / "dg"), "check", "defs"], cwd=ROOT, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "warning" not in (out.stdout + out.stderr).lower(), out.stdout + out.stderr


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Using variable_values:DeprecationWarning")  # inside DagsterGraphQLClient
def test_ui_materializes_everything_and_shows_the_checks(tmp_path):
    port, log = _free_port(), tmp_path / "dg-dev.log"
    with log.open("w") as sink:
        proc = subprocess.Popen([str(VENV / "bin" / "dg"), "dev", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=_env(tmp_path), stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait_for_code_location(port, proc, log)
        nodes = _graphql(port, ASSETS)["assetNodes"]
        groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes}
        assert set(TABLES) | {"release"} <= set(groups)
        assert {groups[t] for t in TABLES} >= {"ingest", "extract"} and groups["release"] == "release"
        assert all(n["hasAssetChecks"] for n in nodes if n["assetKey"]["path"][0] in TABLES)

        client = DagsterGraphQLClient("127.0.0.1", port_number=port)
        run_id = client.submit_job_execution("build_all")
        deadline = time.monotonic() + RUN_SECONDS
        while (status := client.get_run_status(run_id).value) not in ("SUCCESS", "FAILURE", "CANCELED"):
            assert time.monotonic() < deadline, f"run {run_id} still {status}"
            time.sleep(1)
        assert status == "SUCCESS", log.read_text()[-5000:]

        by_asset = {n["assetKey"]["path"][0]: n for n in _graphql(port, CHECKS)["assetNodes"]}
        for table in TABLES:
            checks = {c["name"]: c for c in by_asset[table]["assetChecksOrError"]["checks"]}
            assert checks["schema"]["blocking"]
            for name, check in checks.items():
                execution = check["executionForLatestMaterialization"]
                assert execution["runId"] == run_id and execution["status"] == "SUCCEEDED", (table, name)
                assert execution["evaluation"]["success"], (table, name)
        release = by_asset["release"]["assetMaterializations"][0]
        assert release["runId"] == run_id
        assert {"version", "path", "rows", "timeline"} <= {m["label"] for m in release["metadataEntries"]}
        assert (tmp_path / "data" / "releases" / "LATEST").is_file()
    finally:
        _stop(proc)
