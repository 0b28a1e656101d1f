"""Reading one file by its format into article records (dicts with text and optional metadata)."""
from __future__ import annotations

import json
import re

# news-please and common crawlers' field names -> ours
FIELD_ALIASES = {
    "text": ("text", "maintext", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published_date": ("published_date", "date_publish", "date", "publish_date"),
    "publisher": ("publisher", "source_domain", "source", "site_name"),
    "author": ("author", "authors"),
}
# An HTML page whose main text is shorter than this is navigation or a stub, not an article.
MIN_HTML_WORDS = 15


class BadRecord(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# What json.loads raises on bad input: JSONDecodeError (a ValueError), ValueError for an integer over
# Python's digit limit, RecursionError for nesting too deep.
JSON_ERRORS = (ValueError, RecursionError)


def _pick(record: dict, field: str):
    """The first non-empty alias; metadata that is not a string (a number, an object) becomes its JSON text,
    so later steps always see str or None. The text stays as found: not a string means no text."""
    for key in FIELD_ALIASES[field]:
        value = record.get(key)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            return ", ".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value)
        if field == "text" or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)
    return None


# JSON may escape half of a UTF-16 pair alone ("\ud800"): Python keeps it as a lone surrogate, which no UTF-8
# writer (hashes, Parquet) accepts. Each becomes U+FFFD, and the record says how many.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(out: dict) -> dict:
    count = 0
    for field, value in out.items():
        if isinstance(value, str):
            out[field], n = _SURROGATE.subn("\ufffd", value)
            count += n
    if count:
        out["repair"] = f"{count} lone surrogate escape(s) in the JSON replaced by U+FFFD"
    return out


def normalise_record(record: object) -> dict:
    if not isinstance(record, dict):
        raise BadRecord("malformed_json", f"record is a {type(record).__name__}, not an object")
    out = _without_surrogates({field: _pick(record, field) for field in FIELD_ALIASES})
    if not isinstance(out["text"], str) or not out["text"].strip():
        raise BadRecord("no_text", "record has no text")
    return out


def read_txt(text: str) -> list[dict]:
    return [{"text": text, "detect_title": True}]


def read_html(text: str) -> list[dict]:
    import trafilatura  # here, not at the top: its import (lxml, courlan, htmldate: ~0.2 s) is paid for HTML only

    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or len(body.split()) < MIN_HTML_WORDS:
        raise BadRecord("no_article", f"no article text found in the HTML (under {MIN_HTML_WORDS} words)")
    return [{"text": body, "title": doc.title, "url": doc.url, "published_date": doc.date,
             "publisher": doc.sitename, "author": doc.author, "detect_title": False}]


def read_json_lines(text: str) -> tuple[list[dict], list[BadRecord]]:
    """Good records of a JSON-lines file and one BadRecord per bad line (the good ones still count)."""
    records, bad = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = normalise_record(json.loads(line))
            record["record"] = number
            records.append(record)
        except BadRecord as exc:
            bad.append(BadRecord(exc.reason, f"line {number}: {exc.detail}"))
        except JSON_ERRORS as exc:
            bad.append(BadRecord("malformed_json", f"line {number}: {getattr(exc, 'msg', exc)}"))
    return records, bad


def read_json(text: str) -> tuple[list[dict], list[BadRecord]]:
    """A JSON object, or a list of objects. A file that fails to parse is read as JSON lines when its first line
    is an object by itself (JSON lines saved as .json); otherwise it is one document with one error, where the
    parser stopped (a pretty-printed file with one bad comma is not a bad line per line)."""
    try:
        data = json.loads(text)
    except JSON_ERRORS as exc:
        if _first_line_is_object(text):
            return read_json_lines(text)
        where = f"line {exc.lineno} column {exc.colno}: " if isinstance(exc, json.JSONDecodeError) else ""
        return [], [BadRecord("malformed_json", f"not valid JSON ({where}{getattr(exc, 'msg', exc)})")]
    items = data if isinstance(data, list) else [data]
    records, bad = [], []
    for number, item in enumerate(items, start=1):
        try:
            record = normalise_record(item)
            record["record"] = number if isinstance(data, list) else None
            records.append(record)
        except BadRecord as exc:
            bad.append(BadRecord(exc.reason, f"record {number}: {exc.detail}"))
    return records, bad


def _first_line_is_object(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except JSON_ERRORS:
        return False


def read_records(suffix: str, text: str) -> tuple[list[dict], list[BadRecord]]:
    suffix = suffix.lower()
    if suffix in (".txt", ".text"):
        return read_txt(text), []
    if suffix in (".html", ".htm"):
        return read_html(text), []
    if suffix in (".jsonl", ".ndjson"):
        return read_json_lines(text)
    if suffix == ".json":
        return read_json(text)
    raise BadRecord("unsupported_type", f"unsupported file type {suffix or '(none)'}")
