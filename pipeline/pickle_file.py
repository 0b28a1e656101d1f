"""One pickle file of a between-runs cache: read it (a damaged file is an empty cache, never a failed run) and
write it whole through a temporary file renamed in (a reader never sees half a file), or, for a cache that only
grew, append the new entries to it (`append`, read back by `load_merged`)."""
from __future__ import annotations

import contextlib
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
    try:
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:  # a write cut short (disk full, interrupted) leaves no temporary file behind
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def load_merged(path: Path) -> tuple[dict, bool]:
    """(the dicts pickled one after another at `path` by `write` and `append`, merged; whether the file was read to
    its end). What follows a record that cannot be read (an append cut short) is left out: {} when the first cannot."""
    merged: dict = {}
    if not path.is_file():
        return merged, True
    try:
        with path.open("rb") as f:
            while f.peek(1):
                value = pickle.load(f)
                if not isinstance(value, dict):
                    return merged, False
                merged.update(value)
    except Exception:  # noqa: BLE001 - a damaged record is recomputed, whatever the unpickler says
        return merged, False
    return merged, True


def append(path: Path, value: dict) -> None:
    """Pickle `value` after what `path` holds, without rewriting it: a cut-short append loses only itself, and
    load_merged says so (the owner then writes the file whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
