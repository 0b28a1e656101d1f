"""One pickle file of a between-runs cache: read it (a damaged file is an empty cache, never a failed run) and
write it whole through a temporary file renamed in (a reader never sees half a file)."""
from __future__ import annotations

import os
import pickle
import uuid
from pathlib import Path


def load_dict(path: Path) -> dict:
    """The dict pickled at `path`; {} when there is none or it cannot be read."""
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as f:
            known = pickle.load(f)
    except Exception:  # noqa: BLE001 - a damaged cache file is recomputed, whatever the unpickler says
        return {}
    return known if isinstance(known, dict) else {}


def write(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")
    with tmp.open("wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
