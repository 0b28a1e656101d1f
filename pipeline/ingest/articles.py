"""An input folder -> the `articles` and `rejected_inputs` tables (no Dagster here)."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import pandas as pd

from pipeline.ids import stable_id
from pipeline.ingest.cleaning import clean_article
from pipeline.ingest.decode import Decoded, Undecodable, decode
from pipeline.ingest.file_cache import IngestCache, file_key
from pipeline.ingest.files import InputFile, Rejection, TooLarge, discover, read_limited
from pipeline.ingest.formats import BadRecord, read_records
from pipeline.ingest.language import detect_language, is_extracted
from pipeline.ingest.manifest import parse_published_date, read_manifest
from pipeline.settings import max_file_bytes
from pipeline.resolve.near_duplicates import find_near_duplicates

ARTICLE_COLUMNS = ["article_id", "source_file", "source_record", "url", "publisher", "published_date", "title",
                   "text", "word_count", "language", "encoding", "duplicate_of", "removed_lines", "extracted",
                   "encoding_repair"]
REJECTED_COLUMNS = ["source_file", "reason", "bytes", "detail"]


def _rejection(f: InputFile, exc: Exception, max_bytes: int) -> Rejection:
    if isinstance(exc, TooLarge):
        return Rejection(f.source_file, "too_large", exc.size, f"over the {max_bytes}-byte limit")
    if isinstance(exc, (Undecodable, BadRecord)):
        return Rejection(f.source_file, exc.reason, f.size, exc.detail)
    if isinstance(exc, OSError):  # vanished, permission denied, swapped for a symlink since it was listed
        return Rejection(f.source_file, "unreadable", f.size, exc.strerror or str(exc))
    # a parser (trafilatura, lxml) failing on hostile input costs one file, not the run
    return Rejection(f.source_file, "unreadable", f.size, f"could not be parsed: {type(exc).__name__}: {exc}")


def _read(f: InputFile, max_bytes: int) -> tuple[bytes | None, list[Rejection]]:
    """The file's bytes, or the reason it cannot be used (too large, unreadable, empty)."""
    if f.size > max_bytes:
        return None, [Rejection(f.source_file, "too_large", f.size, f"over the {max_bytes}-byte limit")]
    try:
        data = read_limited(f.path, max_bytes)
    except Exception as exc:  # noqa: BLE001 - every failure becomes the file's rejection (see _rejection)
        return None, [_rejection(f, exc, max_bytes)]
    if not data:
        return None, [Rejection(f.source_file, "empty", 0, "empty file")]
    return data, []


def _records(f: InputFile, data: bytes, max_bytes: int) -> tuple[list[dict], list[Rejection], Decoded | None]:
    try:
        decoded = decode(data)
        records, bad = read_records(PurePosixPath(f.source_file).suffix, decoded.text)
    except Exception as exc:  # noqa: BLE001 - every failure becomes the file's rejection (see _rejection)
        return [], [_rejection(f, exc, max_bytes)], None
    if not records and not bad:  # `[]`, or JSON lines that are all blank: say so rather than drop the file
        return [], [Rejection(f.source_file, "empty", f.size, "no article records in the file")], None
    return records, [Rejection(f.source_file, b.reason, f.size, b.detail) for b in bad], decoded


def file_rows(f: InputFile, manifest: dict, max_bytes: int,
              cache: IngestCache | None = None) -> tuple[list[Rejection], list[dict | Rejection]]:
    """What one file gives: its rejections, then one article row (or a rejection) per record, in record order.
    With a cache, a file whose bytes, name, size and manifest entry were seen before is not decoded again."""
    data, unread = _read(f, max_bytes)
    if data is None:
        return unread, []
    key = file_key(data, f.source_file, f.size, manifest, max_bytes) if cache is not None else None
    if key is not None and (known := cache.get(key)) is not None:
        return known
    records, bad, decoded = _records(f, data, max_bytes)
    made = (bad, [article_row(f, record, manifest, decoded) for record in records])
    if key is not None:
        cache.put(key, made)
    return made


def article_row(f: InputFile, record: dict, manifest: dict, decoded: Decoded) -> dict | Rejection:
    meta = {**{k: record.get(k) for k in ("url", "publisher", "title")},
            "published_date": parse_published_date(record.get("published_date"))}
    meta.update({k: v for k, v in manifest.items() if v is not None})
    clean = clean_article(record["text"], title=meta.get("title"), detect_title=record.get("detect_title", False))
    where = f.source_file if record.get("record") is None else f"{f.source_file}#{record['record']}"
    if not clean.text.strip():
        return Rejection(where, "empty", f.size, "no text left after cleaning")
    return {
        "article_id": stable_id("art", clean.text),
        "source_file": f.source_file,
        "source_record": record.get("record"),
        "url": meta.get("url"),
        "publisher": meta.get("publisher") or clean.publisher,
        "published_date": meta.get("published_date") or clean.stamped_date,
        "title": clean.title,
        "text": clean.text,
        "word_count": len(clean.text.split()),
        "language": (language := detect_language(clean.text)),
        "encoding": decoded.encoding,
        "duplicate_of": None,
        "removed_lines": clean.removed_lines,
        "extracted": is_extracted(language),
        "encoding_repair": "; ".join(r for r in (decoded.repair, record.get("repair")) if r) or None,
    }


def mark_exact_duplicates(rows: list[dict]) -> list[dict]:
    """A later copy of an earlier article's cleaned text gets `duplicate_of` and an id of its own."""
    seen: dict[str, str] = {}
    for row in rows:
        original = seen.get(row["article_id"])
        if original is None:
            seen[row["article_id"]] = row["source_file"]
            continue
        row["duplicate_of"] = row["article_id"]
        row["article_id"] = stable_id("art", row["text"], row["source_file"], row["source_record"])
    return rows


def ingest_folder(folder: Path, max_bytes: int | None = None, signatures: Path | None = None,
                  data_dir: Path | None = None, files_cache: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, rejected_inputs) for every file in `folder`; bad input becomes a rejected row, never a crash.

    `max_bytes` caps each file's size (default: settings.max_file_bytes(), i.e. PARLEY_MAX_FILE_BYTES or 20 MiB).
    `signatures`: a folder keeping near-duplicate signatures between runs (pipeline/resolve/signatures.py).
    `data_dir`: this build's data folder, never read as input should it lie inside `folder`.
    `files_cache`: a folder keeping what each file gave between runs (pipeline/ingest/file_cache.py).
    """
    max_bytes = max_file_bytes() if max_bytes is None else max_bytes
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be at least 1, not {max_bytes}")
    folder = Path(folder)
    files, rejected = discover(folder, data_dir)
    manifest, manifest_rejected = read_manifest(folder.resolve(), {f.source_file for f in files}, max_bytes)
    rejected += manifest_rejected
    rows = []
    cache = IngestCache(files_cache) if files_cache is not None else None
    for f in files:
        bad, made = file_rows(f, manifest.get(f.source_file, {}), max_bytes, cache)
        rejected += bad
        for row in made:
            (rejected.append(row) if isinstance(row, Rejection) else rows.append(row))
    if cache is not None:
        cache.save()
    articles = pd.DataFrame(mark_exact_duplicates(rows), columns=ARTICLE_COLUMNS)
    if len(articles):
        articles["duplicate_of"] = articles["article_id"].map(find_near_duplicates(articles, cache=signatures))
    articles["source_record"] = articles["source_record"].astype("Int64")
    articles["word_count"] = articles["word_count"].astype("int64")
    articles["extracted"] = articles["extracted"].astype("bool")
    rejected_df = pd.DataFrame([r.row() for r in rejected], columns=REJECTED_COLUMNS)
    rejected_df["bytes"] = rejected_df["bytes"].astype("Int64")
    return articles, rejected_df.sort_values(["source_file", "reason", "detail"], ignore_index=True)
