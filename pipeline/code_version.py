"""The code version recorded in each release: package version + a hash of the code and reference data."""
from __future__ import annotations

import functools
import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


SOURCE_SUFFIXES = (".py", ".yaml", ".csv")


def tree_hash(*paths: str):
    """A SHA-256 over the code and reference files under these project paths (names and contents)."""
    h = hashlib.sha256()
    for top in paths:
        root = _ROOT / top
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                h.update(path.relative_to(_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return h


def package_version(name: str) -> str:
    """The installed version of a package, or "absent": a part of the caches' versions."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def add_user_reference(h) -> None:
    """Feed the user's reference folders (PARLEY_REFERENCE_DIRS: their YAML changes what the rules do) into `h`."""
    from pipeline.reference import reference_dirs

    for folder in reference_dirs()[1:]:
        for path in sorted(Path(folder).glob("*.yaml")):
            h.update(str(path).encode() + b"\0" + path.read_bytes())


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    h = tree_hash("pipeline", "schemas")
    try:
        pkg = version("parley")
    except PackageNotFoundError:
        pkg = "0+unknown"
    return f"{pkg}+{h.hexdigest()[:12]}"
