"""One extraction table for a list of articles, assembled from the cache's sources (nlp/cache.py) by slicing.

Each source (the main file, then the shards) gives the rows of the articles it is first to hold; the result holds
those rows with the articles in the asked order, one article's rows in their source's order. `sorted_assembly` says
it plainly: filter every source, concatenate, sort by article rank. A source keeps each article's rows together
(the main file is written in article order, a shard in its task's order), so the same rows are a few slices of the
sources: a re-run that adds articles at the end of the corpus takes the main file whole and the new shards after
it, without hashing, sorting or copying ~2.8 million rows (`assemble`). Where a source splits an article's rows,
an id is asked twice or a source is chosen for an article not asked, `assemble` falls back to `sorted_assembly`;
tests/test_assembly.py pins the two together.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.publish.arrow import concat_like_one

#: More runs of rows than this in the asked order are gathered with one take() (a copy), not as slices: a table of
#: thousands of chunks writes slower than a copied one.
MAX_SLICES = 256


def sorted_assembly(parts: list[pa.Table], chosen: list[list[str]], wanted: list[str]) -> pa.Table:
    """The rows of `parts` whose article each part is chosen for, articles in `wanted`'s order (stable)."""
    kept = [part.filter(pc.is_in(part.column("article_id"), value_set=pa.array(ids, pa.string())))
            for part, ids in zip(parts, chosen)]
    joined = concat_like_one(kept)
    rank = pc.index_in(joined.column("article_id"), value_set=pa.array(wanted, pa.string()))
    order = pc.sort_indices(pa.table({"rank": rank, "row": pa.array(range(joined.num_rows), pa.int64())}),
                            sort_keys=[("rank", "ascending"), ("row", "ascending")])
    return joined.take(order)


def article_runs(ids: pa.ChunkedArray) -> tuple[list[str], np.ndarray] | None:
    """(the article id of each run of equal ids, in row order; the runs' bounds [0, ..., rows]); None when an id
    has two runs or is null (rows not kept together: only a sort gives the asked order)."""
    ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    if ids.null_count:
        return None
    rows = len(ids)
    changes = pc.not_equal(ids.slice(1), ids.slice(0, max(0, rows - 1))).to_numpy(zero_copy_only=False)
    bounds = np.concatenate(([0], np.flatnonzero(changes) + 1, [rows])) if rows else np.zeros(1, np.int64)
    names = ids.take(pa.array(bounds[:-1])).to_pylist()
    return (names, bounds) if len(set(names)) == len(names) else None


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _slices(table: pa.Table, ranges: list[tuple[int, int]]) -> pa.Table:
    if len(ranges) == 1 and ranges[0] == (0, table.num_rows):
        return table
    if len(ranges) > MAX_SLICES:
        return table.take(pa.array(np.concatenate([np.arange(s, e) for s, e in ranges]), pa.int64()))
    return pa.concat_tables([table.slice(s, e - s) for s, e in ranges]) if ranges else table.slice(0, 0)


def assemble(parts: list[pa.Table], chosen: list[list[str]], wanted: list[str]) -> pa.Table:
    """sorted_assembly's rows (and types: concat_like_one of the same filtered parts), taken as slices."""
    asked = set(wanted)
    if len(asked) < len(wanted) or any(not asked.issuperset(ids) for ids in chosen):
        return sorted_assembly(parts, chosen, wanted)
    kept_parts, spans, offset = [], {}, 0  # spans: article id -> its rows in the joined kept parts
    for part, ids in zip(parts, chosen):
        runs = article_runs(part.column("article_id"))
        if runs is None:
            return sorted_assembly(parts, chosen, wanted)
        names, bounds = runs
        keep, ranges, size = set(ids), [], 0
        for j, name in enumerate(names):
            if name in keep:
                if name in spans:  # chosen from two parts: the sort decides, as it always did
                    return sorted_assembly(parts, chosen, wanted)
                start, end = int(bounds[j]), int(bounds[j + 1])
                spans[name] = (offset + size, offset + size + end - start)
                ranges.append((start, end))
                size += end - start
        kept_parts.append(_slices(part, _merged(ranges)))
        offset += size
    joined = concat_like_one(kept_parts)
    return _slices(joined, _merged([spans[name] for name in wanted if name in spans]))
