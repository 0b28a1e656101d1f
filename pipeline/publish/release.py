"""Writing an immutable, versioned release: Parquet tables + manifest, temp folder renamed into place."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.publish.arrow import TableFile, to_arrow
from pipeline.publish.card import sha256

RELEASES = "releases"
LATEST = "LATEST"
TMP_PREFIX = ".tmp-"


class NoRelease(RuntimeError):
    pass


@dataclass(frozen=True)
class ReleaseInfo:
    version: str
    path: Path
    created: bool
    rows: dict[str, int]


def releases_dir(data_dir: Path) -> Path:
    return Path(data_dir) / RELEASES


def latest_version(data_dir: Path) -> str:
    path = releases_dir(data_dir) / LATEST
    if not path.is_file():
        raise NoRelease(f"no release yet in {data_dir}: run `parley build` first")
    version = path.read_text(encoding="utf-8").strip()
    if not version or not (releases_dir(data_dir) / version / "manifest.json").is_file():
        raise NoRelease(f"LATEST names {version!r}, which is not a complete release")
    return version


def latest_path(data_dir: Path) -> Path:
    return releases_dir(data_dir) / latest_version(data_dir)


def list_releases(data_dir: Path) -> list[dict]:
    """Complete releases (those with a manifest), oldest first."""
    root = releases_dir(data_dir)
    out = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        manifest = folder / "manifest.json"
        if folder.is_dir() and not folder.name.startswith(".") and manifest.is_file():
            out.append(json.loads(manifest.read_text(encoding="utf-8")))
    return sorted(out, key=lambda m: (m["created_at"], m["version"]))


def clean_stale(data_dir: Path) -> list[str]:
    """Remove temporary folders and LATEST files left by an interrupted build; they are never visible as
    releases. Call it only while holding the data folder's lock (another writer's temporaries look the same)."""
    root = releases_dir(data_dir)
    removed = []
    for stale in sorted(root.glob(TMP_PREFIX + "*")) if root.is_dir() else []:
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
        removed.append(stale.name)
    return removed


def _fsync(path: Path) -> None:
    """Flush a file or a folder's entries to disk, so a power cut cannot leave a renamed-in but empty file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f"{TMP_PREFIX}{uuid.uuid4().hex}-{path.name}")
    tmp.write_text(text, encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, path)
    _fsync(path.parent)


def write_release(tables: dict[str, pd.DataFrame | TableFile], data_dir: Path, code_version: str, input_fingerprint: str,
                  extras=None, now: datetime | None = None, before_latest=None) -> ReleaseInfo:
    """Write `tables` as a new release unless an identical one exists; point LATEST at it either way.

    `extras(folder, manifest)` may add files (codebook, data package, ...) before the folder is renamed in;
    `before_latest(folder)` runs on the complete release just before LATEST moves to it (the DuckDB catalog).
    """
    root = releases_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    clean_stale(data_dir)
    tmp = root / f"{TMP_PREFIX}{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        entries = {}
        for name in sorted(tables):
            path = tmp / f"{name}.parquet"
            if isinstance(tables[name], TableFile):  # written by the same writer between steps: copied as is
                shutil.copyfile(tables[name].path, path)
            else:
                pq.write_table(to_arrow(tables[name]), path, compression="zstd")
            meta = pq.ParquetFile(path)
            entries[name] = {"file": path.name, "rows": meta.metadata.num_rows, "sha256": sha256(path),
                             "columns": {f.name: str(f.type) for f in meta.schema_arrow}}
        content = hashlib.sha256(json.dumps([code_version, {n: e["sha256"] for n, e in entries.items()}],
                                            sort_keys=True).encode()).hexdigest()
        existing = next((m for m in list_releases(data_dir) if m.get("content_hash") == content), None)
        if existing is not None:
            shutil.rmtree(tmp)
            if before_latest is not None:
                before_latest(root / existing["version"])
            _write_atomic(root / LATEST, existing["version"] + "\n")
            return ReleaseInfo(existing["version"], root / existing["version"], False,
                               {n: t["rows"] for n, t in existing["tables"].items()})
        now = now or datetime.now(timezone.utc)
        version = f"{now:%Y%m%d}-{content[:10]}"
        manifest = {"version": version, "created_at": now.isoformat(timespec="seconds"),
                    "code_version": code_version, "input_fingerprint": input_fingerprint,
                    "content_hash": content, "contract": "parley dataset contract v1", "tables": entries}
        if extras is not None:
            extras(tmp, manifest)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        for written in [*tmp.iterdir(), tmp]:
            _fsync(written)
        final = root / version
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if before_latest is not None:
        before_latest(final)
    _write_atomic(root / LATEST, version + "\n")
    return ReleaseInfo(version, final, True, {n: e["rows"] for n, e in entries.items()})
