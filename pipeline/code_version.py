"""The code version recorded in each release: package version + a hash of the code and reference data."""
from __future__ import annotations

import functools
import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    h = hashlib.sha256()
    for folder in ("pipeline", "schemas"):
        for path in sorted((_ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".yaml", ".csv") and "__pycache__" not in path.parts:
                h.update(path.relative_to(_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        pkg = version("parley")
    except PackageNotFoundError:
        pkg = "0+unknown"
    return f"{pkg}+{h.hexdigest()[:12]}"
