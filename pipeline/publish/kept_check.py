"""A table's schema check on a re-run: only the rows that differ from the last file that passed, told exactly.

A re-run rewrites each table whole, but most of its rows are the very rows of the file the previous run validated
(the kept file, check_cache.ChunkCache.kept_file). When that file passed (no chunk had a failure case), a row of the
new file equal to one of its rows passed too: so only the other rows need pandera, and when they pass, so would
every chunk of the new file, and the chunked result is empty, as a full validation would find. This holds because:
- pandera's verdict on a row depends on that row alone for the field checks and for the dataframe checks named in
  ROW_CHECKS. Any other dataframe check (spans_disjoint) is taken to look at the rows of one article together: then
  the unit is the article (BY_ARTICLE): both files must keep each article's rows consecutive (so each article was
  validated whole, in one chunk, and would be again), and an article is validated again unless the new file has
  exactly its earlier rows (each one found in the kept file, as many rows; the rows are distinct, see below);
- a chunk's unique columns cannot repeat: no two rows of the whole new file share the values of a unique set, nulls
  counting as one more value (distinct_rows), or the full path is taken;
- rows are compared by DuckDB over every column, as values (`IS NOT DISTINCT FROM`: strings by their bytes, lists
  element by element, a null equal only to a null; floats by value and sign bit, so -0.0 is not 0.0). The files'
  Arrow schemas must be equal (the same conversion to pandas).
Anything else returns None: the caller validates in chunks as before, so failure cases always come from there.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.publish.arrow import numbered

ARTICLE = "article_id"
#: Dataframe checks of the schemas whose verdict on a row depends on that row alone (tests/test_kept_check.py lists
#: every schema's checks, so a new one is classed here or taken as per article).
ROW_CHECKS = frozenset({"span_ordered", "range_ordered", "counts_ordered"})
COMPARED = (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer, pa.types.is_boolean,
            pa.types.is_date, pa.types.is_floating)


def by_article(checks) -> bool:
    """True when some dataframe check of the schema may look at more than one row (of an article)."""
    return any(check.name not in ROW_CHECKS for check in checks)


def _compared(field: pa.Field) -> bool:
    kind = field.type
    if pa.types.is_list(kind):
        kind = kind.value_type
        return any(test(kind) for test in COMPARED) and not pa.types.is_floating(kind)
    return any(test(kind) for test in COMPARED)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _source(path: Path, numbered_rows: bool = False) -> str:
    path = str(path).replace("'", "''")
    return f"read_parquet('{path}'{', file_row_number = true' if numbered_rows else ''})"


def _same_row(schema: pa.Schema) -> str:
    terms = []
    for field in schema:
        name = _quoted(field.name)
        terms.append(f"n.{name} IS NOT DISTINCT FROM o.{name}")
        if pa.types.is_floating(field.type):
            terms.append(f"signbit(n.{name}) IS NOT DISTINCT FROM signbit(o.{name})")
    return " AND ".join(terms)


def _articles(path: Path) -> pa.Array | None:
    """The file's article ids, or None when some article's rows are not consecutive (or an id is null)."""
    ids = pq.read_table(path, columns=[ARTICLE], use_threads=False).column(0).combine_chunks()
    if ids.null_count:
        return None
    encoded = ids.dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    runs = 1 + int(np.count_nonzero(codes[1:] != codes[:-1])) if len(codes) else 0
    return ids if runs == len(encoded.dictionary) else None


def _recounted(new_ids: pa.Array, old_ids: pa.Array) -> pa.Array:
    """The articles of the new file that the kept file has not with as many rows."""
    new_counts, old_counts = pc.value_counts(new_ids), pc.value_counts(old_ids)
    names, counts = new_counts.field("values"), new_counts.field("counts")
    at = pc.index_in(names, value_set=old_counts.field("values"))
    before = pc.take(old_counts.field("counts"), at)  # null where the kept file has no such article
    return pc.filter(names, pc.fill_null(pc.not_equal(counts, before), True))


def _differing(con, new: Path, old: Path, schema: pa.Schema, limit: int) -> np.ndarray | None:
    """Row numbers of the new file's rows that are not in the kept file: those that differ from the kept file's
    row at the same place (cheap, a scan of both: a file that only gained rows at its end, or changed a few in
    place), else those equal to none of its rows (a hash join); None when more than `limit`."""
    positional = (f"SELECT n.file_row_number AS r FROM {_source(new, True)} n POSITIONAL JOIN {_source(old, True)} o "
                  f"WHERE n.file_row_number IS NOT NULL AND (o.file_row_number IS NULL OR NOT ({_same_row(schema)}))")
    anywhere = f"SELECT n.file_row_number AS r FROM {_source(new, True)} n ANTI JOIN {_source(old)} o ON {_same_row(schema)}"
    for query in (positional, anywhere):
        rows = con.sql(f"{query} LIMIT {limit + 1}").fetchnumpy()["r"]
        if len(rows) <= limit:
            return np.sort(np.asarray(rows, dtype=np.int64))
    return None


def changed_rows(con, new: Path, old: Path, article: bool, limit: int) -> pa.Table | None:
    """The rows of the file `new` to validate again against the kept file `old` (with their row numbers in `_row`,
    ascending): those not in `old` or, by article, every row of the articles whose rows differ. None when that
    cannot be told (see the module's docstring) or there are more than `limit`."""
    schema = pq.read_schema(new)
    if not schema.equals(pq.read_schema(old), check_metadata=True) or not all(_compared(f) for f in schema):
        return None
    if article:
        if ARTICLE not in schema.names:
            return None
        new_ids, old_ids = _articles(new), _articles(old)
        if new_ids is None or old_ids is None:
            return None
    rows = _differing(con, new, old, schema, limit)
    if rows is None:
        return None
    if article:  # whole articles: those with a row not in the kept file, or not as many rows as there
        changed = pa.concat_arrays([_recounted(new_ids, old_ids), new_ids.take(pa.array(rows, pa.int64()))])
        rows = np.flatnonzero(pc.is_in(new_ids, value_set=changed).to_numpy(zero_copy_only=False))
        if len(rows) > limit:
            return None
    con.register("kept_check_rows", pa.table({"r": pa.array(rows, pa.int64())}))
    try:
        table = con.sql(f"SELECT * EXCLUDE (file_row_number), file_row_number AS _row FROM {_source(new, True)} "
                        f"WHERE file_row_number IN (SELECT r FROM kept_check_rows) ORDER BY _row").to_arrow_table()
    finally:
        con.unregister("kept_check_rows")
    return table.drop_columns(["_row"]).cast(schema).append_column("_row", table.column("_row"))


def recheck(schema, unique_sets: list[list[str]], distinct, validate, con, new: Path, old: Path | None,
            limit: int) -> bool:
    """True when the new file would pass every chunk of a full validation (pandera `schema`), told from the kept file
    `old` (which passed) and `validate(frame)` (failure cases or None) over the changed rows alone; False when that is
    not known: then validate in chunks. `distinct(names)` tells that no two rows of the new file share those
    columns' values, nulls counted (an article's rows are then distinct too: a unique set is needed by article)."""
    article = by_article(schema.checks)
    if old is None or not pq.ParquetFile(new).metadata.num_rows or (article and not unique_sets):
        return False
    if not all(distinct(names) for names in unique_sets):
        return False
    try:
        rows = changed_rows(con, new, old, article, limit)
    except Exception:  # noqa: BLE001 - a kept file DuckDB cannot read (damaged) only means validating in chunks
        return False
    if rows is None:
        return False
    if not rows.num_rows:
        return True
    row_numbers = rows.column("_row").to_numpy()
    return validate(numbered(rows.drop_columns(["_row"]), row_numbers)) is None
