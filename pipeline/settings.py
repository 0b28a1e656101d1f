"""Where things are: the project folder, the default input and data folders, the Dagster home, the size limit."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = "seeds"
DEFAULT_DATA = "data"
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MiB: well above any news article, below memory trouble


def input_dir() -> str:
    return os.environ.get("PARLEY_INPUT_DIR", str(PROJECT_ROOT / DEFAULT_INPUT))


def data_dir() -> str:
    return os.environ.get("PARLEY_DATA_DIR", str(PROJECT_ROOT / DEFAULT_DATA))


def max_file_bytes() -> int:
    """PARLEY_MAX_FILE_BYTES (a positive whole number of bytes), else 20 MiB; a bad value is a clear error."""
    raw = os.environ.get("PARLEY_MAX_FILE_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_FILE_BYTES
    if not raw.isdigit() or int(raw) == 0:
        raise ValueError(f"PARLEY_MAX_FILE_BYTES must be a positive whole number of bytes, not {raw!r}")
    return int(raw)


def ensure_dagster_home() -> Path:
    """Point DAGSTER_HOME at the folder holding dagster.yaml and its storage at .dagster_home, unless set."""
    if "DAGSTER_HOME" not in os.environ and (PROJECT_ROOT / "dagster.yaml").is_file():
        os.environ["DAGSTER_HOME"] = str(PROJECT_ROOT)
    storage = Path(os.environ.setdefault("PARLEY_DAGSTER_STORAGE", str(PROJECT_ROOT / ".dagster_home")))
    storage.mkdir(parents=True, exist_ok=True)
    return Path(os.environ["DAGSTER_HOME"])
