"""The optional manifest.csv of an input folder: file,url,publisher,published_date,title per article."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from pipeline.ingest.files import MANIFEST, Rejection

COLUMNS = ("file", "url", "publisher", "published_date", "title")


def parse_published_date(value: object) -> date | None:
    """ISO date or date-time (a trailing Z allowed) -> date; anything else -> None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _safe_relative(name: str) -> str | None:
    """The manifest's file name as a clean relative POSIX path, or None when it would leave the folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts or name[1:3] == ":/":
        return None
    return path.as_posix()


def read_manifest(folder: Path, known_files: set[str]) -> tuple[dict[str, dict], list[Rejection]]:
    """{source_file: metadata} for rows naming a file that was found, and a Rejection for every bad row."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}, []
    try:
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        return {}, [Rejection(MANIFEST, "malformed_manifest", path.stat().st_size, str(exc))]
    rejected = []
    unknown = [c for c in reader.fieldnames or [] if c not in COLUMNS]
    if unknown:
        rejected.append(Rejection(MANIFEST, "manifest_unknown_column", None,
                                  f"columns ignored: {', '.join(unknown)}"))
    if "file" not in (reader.fieldnames or []):
        rejected.append(Rejection(MANIFEST, "malformed_manifest", None, "no 'file' column"))
        return {}, rejected
    meta: dict[str, dict] = {}
    for line, row in enumerate(rows, start=2):
        name = (row.get("file") or "").strip()
        where = f"{MANIFEST}:{line}"
        rel = _safe_relative(name)
        if rel is None:
            rejected.append(Rejection(where, "outside_folder", None, f"manifest path leaves the input folder: {name!r}"))
            continue
        if rel not in known_files:
            rejected.append(Rejection(where, "manifest_missing_file", None, f"no such file in the input folder: {name!r}"))
            continue
        entry = {k: (row.get(k) or "").strip() or None for k in ("url", "publisher", "title")}
        raw_date = (row.get("published_date") or "").strip()
        entry["published_date"] = parse_published_date(raw_date)
        if raw_date and entry["published_date"] is None:
            rejected.append(Rejection(where, "manifest_bad_date", None,
                                      f"published_date {raw_date!r} is not an ISO date; left empty"))
        meta[rel] = entry
    return meta, rejected
