"""Reference data (actors, known rounds, places, lexicons): YAML files, each entry with a source.

The packaged files live beside this module. Users extend them without touching code: every YAML
file of the same name in the folders listed in `PARLEY_REFERENCE_DIRS` (os.pathsep-separated) is
read too, its list entries appended and its mapping keys merged over the packaged ones.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import yaml

PACKAGED = Path(__file__).resolve().parent
# libyaml's parser when PyYAML was built with it: the same SafeConstructor, so the same objects, ~7x faster (the
# reference files take ~0.9 s to parse in pure Python, paid by every process that loads them).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def reference_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("PARLEY_REFERENCE_DIRS", "").split(os.pathsep) if p]
    return [PACKAGED, *extra]


def _merge(base, extra):
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(merged[key], value) if key in merged else value
        return merged
    return extra


@functools.lru_cache(maxsize=None)
def _load(name: str, dirs: tuple[Path, ...]):
    data = None
    for folder in dirs:
        path = folder / f"{name}.yaml"
        if path.is_file():
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
            data = loaded if data is None else _merge(data, loaded)
    if data is None:
        raise FileNotFoundError(f"reference data {name}.yaml not found in {[str(d) for d in dirs]}")
    return data


def load_reference(name: str):
    """The merged content of `<name>.yaml` (packaged first, then each user folder)."""
    return _load(name, tuple(reference_dirs()))
