import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Every test, and every process a test starts, uses a Dagster home of its own, removed at the end: runs, event
# logs and compute logs never go to the repository's .dagster_home (nor to the user's DAGSTER_HOME).
DAGSTER_HOME = Path(tempfile.mkdtemp(prefix="parley-test-dagster-"))
shutil.copyfile(ROOT / "dagster.yaml", DAGSTER_HOME / "dagster.yaml")
os.environ["DAGSTER_HOME"] = str(DAGSTER_HOME)
os.environ["PARLEY_DAGSTER_STORAGE"] = str(DAGSTER_HOME / "storage")


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(DAGSTER_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


# Secrets in the environment of the shared build: test_access checks that none of them reaches the release.
BUILD_SECRETS = {"PARLEY_API_TOKEN": "s3cr3t-t0ken-6f1d22dc7abf05",
                 "AWS_SECRET_ACCESS_KEY": "s3cr3t-t0ken-6f1d22dc7abf05-aws"}


@pytest.fixture(scope="session")
def build_secrets() -> dict[str, str]:
    return dict(BUILD_SECRETS)


@pytest.fixture(scope="session")
def built_seeds(tmp_path_factory):
    """One full build of the seeds (the whole asset graph, secrets in its environment) into a temporary data
    folder, shared by the tests that read a release: a test that changes the folder works on a copy."""
    from pipeline.cli import main
    data = tmp_path_factory.mktemp("machine-specific-folder") / "data"
    with pytest.MonkeyPatch.context() as mp:
        for name, value in BUILD_SECRETS.items():
            mp.setenv(name, value)
        assert main(["build", "--input", str(SEEDS), "--data", str(data)]) == 0
    return data
