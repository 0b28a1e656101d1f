"""Where things are: the project folder, the default input and data folders, the Dagster home."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = "seeds"
DEFAULT_DATA = "data"


def input_dir() -> str:
    return os.environ.get("PARLEY_INPUT_DIR", str(PROJECT_ROOT / DEFAULT_INPUT))


def data_dir() -> str:
    return os.environ.get("PARLEY_DATA_DIR", str(PROJECT_ROOT / DEFAULT_DATA))


def ensure_dagster_home() -> Path:
    """Point DAGSTER_HOME at the folder holding dagster.yaml and its storage at .dagster_home, unless set."""
    if "DAGSTER_HOME" not in os.environ and (PROJECT_ROOT / "dagster.yaml").is_file():
        os.environ["DAGSTER_HOME"] = str(PROJECT_ROOT)
    storage = Path(os.environ.setdefault("PARLEY_DAGSTER_STORAGE", str(PROJECT_ROOT / ".dagster_home")))
    storage.mkdir(parents=True, exist_ok=True)
    return Path(os.environ["DAGSTER_HOME"])
