"""The optional manifest.csv of an input folder: file,url,publisher,published_date,title per article."""
from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from pipeline.ingest.decode import Undecodable, decode
from pipeline.ingest.files import MANIFEST, Rejection, TooLarge, inside, read_limited
from pipeline.settings import DEFAULT_MAX_FILE_BYTES

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
    posix = name.replace("\\", "/")
    path = PurePosixPath(posix)
    if path.is_absolute() or ".." in path.parts or not path.parts or posix[1:3] == ":/":
        return None
    return path.as_posix()


def _nfc(name: str) -> str:
    """File names compared in NFC: macOS and some archivers store 'ü' decomposed, spreadsheets composed."""
    return unicodedata.normalize("NFC", name)


def _manifest_text(path: Path, folder: Path, max_bytes: int) -> str | Rejection:
    """The manifest's text (UTF-8 or a detected legacy encoding, as spreadsheets save it), or why not."""
    if path.is_symlink() and not inside(folder, path):
        return Rejection(MANIFEST, "outside_folder", None, "symlink points outside the input folder; not read")
    try:
        return decode(read_limited(path.resolve(), max_bytes))[0]
    except TooLarge as exc:
        return Rejection(MANIFEST, "malformed_manifest", exc.size, f"over the {max_bytes}-byte limit; not read")
    except Undecodable as exc:
        return Rejection(MANIFEST, "malformed_manifest", None, exc.detail)
    except OSError as exc:
        return Rejection(MANIFEST, "unreadable", None, exc.strerror or str(exc))


def _rows(text: str, known: set[str] = frozenset()) -> tuple[list[str], list[tuple[int, dict]], list[Rejection]]:
    """(header, [(line number, row)], rejections). A stray quote makes the csv module read the lines after it as
    one field, swallowing the rows there: a row whose quoted field runs unclosed to the end of the file, or whose
    file name spans lines and names no file found (`known`, in NFC), is rejected as an unbalanced quote, and
    reading starts again on the line after it."""
    lines = io.StringIO(text).readlines()  # split as the csv reader splits (on \n only), so line numbers agree
    if not lines:
        return [], [], []
    fieldnames = next(csv.reader(lines[:1]))
    rows, rejected, at = [], [], 1  # `at`: index in `lines` where the current reader starts
    while at < len(lines):
        reader, restart = csv.reader(io.StringIO("".join(lines[at:]))), None
        end = 0
        for values in reader:
            start, end = at + end + 1, reader.line_num  # 1-based physical line of the row's start
            last = at + reader.line_num  # the row's last physical line
            row = dict(zip(fieldnames, values))
            name = row.get("file") or ""
            spans = "\n" in name and _nfc(name.strip()) not in known
            if last > start and (spans or (last == len(lines) and _unclosed(lines[start - 1:]))):
                rejected.append(Rejection(f"{MANIFEST}:{start}", "malformed_manifest", None,
                                          "unbalanced quote: a quoted field opens on this line and never closes; "
                                          "this row is ignored, the lines after it are read as rows"))
                restart = start
                break
            if values:
                rows.append((start, row))
        if restart is None:
            break
        at = restart
    return fieldnames, rows, rejected


def _unclosed(lines: list[str]) -> bool:
    """The text holds an odd number of double quotes: some quoted field is never closed."""
    return "".join(lines).count('"') % 2 == 1


def read_manifest(folder: Path, known_files: set[str],
                  max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[dict[str, dict], list[Rejection]]:
    """{source_file: metadata} for rows naming a file that was found, and a Rejection for every bad row.

    `folder` is resolved. Bad rows never stop the good ones; the first row for a file wins.
    """
    path = folder / MANIFEST
    if not path.is_file() and not path.is_symlink():
        return {}, []
    text = _manifest_text(path, folder, max_bytes)
    if isinstance(text, Rejection):
        return {}, [text]
    try:
        fieldnames, rows, rejected = _rows(text.lstrip("\ufeff"), {_nfc(name) for name in known_files})
    except csv.Error as exc:
        return {}, [Rejection(MANIFEST, "malformed_manifest", None, str(exc))]
    unknown = [str(c) for c in fieldnames if c not in COLUMNS]
    if unknown:
        rejected.append(Rejection(MANIFEST, "manifest_unknown_column", None,
                                  f"columns ignored: {', '.join(unknown)}"))
    if "file" not in fieldnames:
        rejected.append(Rejection(MANIFEST, "malformed_manifest", None, "no 'file' column"))
        return {}, rejected
    by_nfc = {_nfc(name): name for name in known_files}
    meta: dict[str, dict] = {}
    for line, row in rows:
        name = (row.get("file") or "").strip()
        where = f"{MANIFEST}:{line}"
        if not name:
            rejected.append(Rejection(where, "malformed_manifest", None, "row has no file name; ignored"))
            continue
        rel = _safe_relative(name)
        if rel is None:
            rejected.append(Rejection(where, "outside_folder", None, f"manifest path leaves the input folder: {name!r}"))
            continue
        rel = by_nfc.get(_nfc(rel))
        if rel is None:
            rejected.append(Rejection(where, "manifest_missing_file", None, f"no such file in the input folder: {name!r}"))
            continue
        if rel in meta:
            rejected.append(Rejection(where, "malformed_manifest", None,
                                      f"second row for {name!r}; the first row's metadata is used"))
            continue
        entry = {k: (row.get(k) or "").strip() or None for k in ("url", "publisher", "title")}
        raw_date = (row.get("published_date") or "").strip()
        entry["published_date"] = parse_published_date(raw_date)
        if raw_date and entry["published_date"] is None:
            rejected.append(Rejection(where, "manifest_bad_date", None,
                                      f"published_date {raw_date!r} is not an ISO date; left empty"))
        meta[rel] = entry
    return meta, rejected
