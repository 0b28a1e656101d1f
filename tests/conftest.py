import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

os.environ.setdefault("PARLEY_DAGSTER_STORAGE", str(ROOT / ".dagster_home"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def built_seeds(tmp_path_factory):
    """One full build of the seeds (the whole asset graph) into a temporary data folder."""
    from pipeline.cli import main
    data = tmp_path_factory.mktemp("data")
    assert main(["build", "--input", str(SEEDS), "--data", str(data)]) == 0
    return data
