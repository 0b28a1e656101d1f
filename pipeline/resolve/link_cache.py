"""Round linking kept between runs, per article: a re-run links only the mentions of new or changed articles.

Linking to known rounds (rounds.link_articles) depends on one article alone: its round mentions, its row (date,
publisher), its roles and its dates, with the reference rounds and role periods. What it leaves for the
corpus-wide steps (each mention's round_id and link_score, the mentions kept for clustering, the article's dates)
is stored per article under a key that hashes exactly those inputs, so an entry is used only for identical input.
The mentions are hashed as the bytes of the article's rows in Arrow's IPC format (`mention_digests`), with the
chunk's column names, types and which columns hold a null anywhere in the chunk: equal bytes decode to an equal
Arrow slice, and the Python values linking reads of a row (`read_frame`, then `records`' values) are a function
of the row's Arrow values and of the column's pandas dtype, which the type and the chunk's null presence decide
(an integer column with a null becomes float). The other inputs (articles, roles, dates) are hashed as the
Python values linking reads (pickled row tuples). Clustering and the main-round rule still run over the whole
corpus. The version hashes the resolution code, the key's FORMAT, the reference data (packaged and the user's)
and the libraries that read the tables: any change starts a fresh file, `<data>/cache/rounds/<version>.pkl`.
Each run rewrites it with its own articles' entries (a temporary file renamed in), so it never grows past the
corpus.
"""
from __future__ import annotations

import hashlib
import pickle
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline import pickle_file
from pipeline.code_version import add_user_reference, tree_hash

CODE = ("pipeline/resolve", "pipeline/reference", "pipeline/ids.py", "pipeline/publish/arrow.py",
        "pipeline/nlp/round_mentions.py")


FORMAT = 2  # the keys' layout (2: mentions as Arrow IPC bytes); a new layout never meets an old file's keys


def link_version() -> str:
    h = tree_hash(*CODE)
    h.update(f"key format {FORMAT}".encode())
    h.update(repr((pd.__version__, pa.__version__, np.__version__)).encode())
    add_user_reference(h)  # the user's rounds and roles change links too
    return h.hexdigest()[:16]


def by_article(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r.get("article_id")].append(r)
    return out


def article_key(*parts) -> str:
    """A digest of an article's inputs (bytes as they are, anything else pickled), each with its length, so equal
    keys mean equal input."""
    h = hashlib.blake2b(digest_size=32)
    for part in parts:
        blob = part if isinstance(part, bytes) else pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
        h.update(len(blob).to_bytes(8, "little") + blob)
    return h.hexdigest()


def mention_digests(table: pa.Table) -> dict:
    """Per article of a chunk (Arrow), a digest of its rows: the chunk's column names, types and null presence
    (what decides the pandas dtypes the rows are read with), then each column's `_segments` of each run of the
    article's rows in the chunk's order. Any difference in a row's value, type or place changes the bytes."""
    if not table.num_rows:
        return {}
    table = table.combine_chunks()
    head = repr([(f.name, str(f.type), table.column(i).null_count > 0) for i, f in enumerate(table.schema)]).encode()
    segments = [_segments(column.chunk(0)) for column in table.columns]
    runs = pc.run_end_encode(table.column("article_id").chunk(0))
    out: dict = {}
    start = 0
    for aid, end in zip(runs.values.to_pylist(), runs.run_ends.to_pylist()):
        h = out.get(aid)
        if h is None:
            h = out[aid] = hashlib.blake2b(head, digest_size=32)
        for column in segments:
            for blob in column(start, end):
                h.update(len(blob).to_bytes(8, "little"))
                h.update(blob)
        start = end
    return {aid: h.digest() for aid, h in out.items()}


def _segments(array: pa.Array):
    """A function of a row range [s, e) giving bytes that determine those rows' values exactly, given the type: one
    byte per row for null or not, then for strings the offsets (from 0) and the characters, for lists the offsets
    and the values' own segments, for fixed-width types the values' bytes; any other type its pickled values.
    Only the rows' own bytes, so a row's digest never depends on its neighbours (an Arrow IPC slice carries the
    rest of the chunk's string data after it)."""
    nulls = array.is_null().to_numpy(zero_copy_only=False).view(np.uint8)
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_binary(kind) or pa.types.is_large_string(kind):
        width = np.int64 if pa.types.is_large_string(kind) else np.int32
        _, offsets_buffer, data = array.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=width)[array.offset: array.offset + len(array) + 1]
        chars = memoryview(data) if data is not None else memoryview(b"")
        return lambda s, e: (nulls[s:e].tobytes(), (offsets[s:e + 1] - offsets[s]).tobytes(),
                             chars[offsets[s]:offsets[e]])
    if pa.types.is_list(kind):
        offsets = array.offsets.to_numpy()  # this array's own offsets (its slice's), into the whole child array
        values = _segments(array.values)
        return lambda s, e: (nulls[s:e].tobytes(), (offsets[s:e + 1] - offsets[s]).tobytes(),
                             *values(int(offsets[s]), int(offsets[e])))
    if pa.types.is_boolean(kind):
        flags = array.fill_null(False).to_numpy(zero_copy_only=False).view(np.uint8)
        return lambda s, e: (nulls[s:e].tobytes(), flags[s:e].tobytes())
    if pa.types.is_primitive(kind) and kind.bit_width % 8 == 0:  # ints, floats, dates, timestamps
        width = kind.bit_width // 8
        data = np.frombuffer(array.buffers()[1], dtype=np.uint8)[array.offset * width:(array.offset + len(array)) * width]
        return lambda s, e: (nulls[s:e].tobytes(), data[s * width:e * width].tobytes())
    values = array.to_pylist()  # exact, slower: a type the chunks don't have today
    return lambda s, e: (nulls[s:e].tobytes(), pickle.dumps(values[s:e], protocol=pickle.HIGHEST_PROTOCOL))


class LinkCache:
    """{article_id: (key, pickled entry)}, one pickle file per link version."""

    def __init__(self, root: Path):
        self.path = Path(root) / f"{link_version()}.pkl"
        self.known: dict[str, tuple[str, bytes]] = pickle_file.load_dict(self.path)
        self.now: dict[str, tuple[str, bytes]] = {}

    def get(self, article_id: str, key: str):
        found = self.known.get(article_id)
        if found is None or found[0] != key:
            return None
        self.now[article_id] = found
        return pickle.loads(found[1])

    def put(self, article_id: str, key: str, entry) -> None:
        self.now[article_id] = (key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))

    def save(self) -> None:
        """Keep exactly this run's articles; written only when something changed."""
        if self.now == self.known and self.path.is_file():
            return
        pickle_file.write(self.path, self.now)
