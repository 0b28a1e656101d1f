"""One release as a deterministic zip: sorted names, fixed timestamps and modes, so equal releases zip equally."""
from __future__ import annotations

import os
import uuid
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def export_zip(release_path: Path, zip_path: Path) -> Path:
    """Write `<version>/<file>` entries for every file of the release; the zip appears atomically."""
    release_path, zip_path = Path(release_path), Path(zip_path)
    if not (release_path / "manifest.json").is_file():
        raise FileNotFoundError(f"not a release folder (no manifest.json): {release_path}")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_name(f".tmp-{uuid.uuid4().hex}-{zip_path.name}")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in release_path.iterdir() if p.is_file()):
                info = zipfile.ZipInfo(f"{release_path.name}/{path.name}", date_time=FIXED_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
        os.replace(tmp, zip_path)
    finally:
        tmp.unlink(missing_ok=True)
    return zip_path
