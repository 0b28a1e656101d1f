"""What every table asset reports and how it writes a table: row count, column schema, preview; types from pandera.

A step gives the table its schema's column types as it writes it (a type that cannot be taken fails the step);
the data is validated once, by the table's blocking schema check (defs/checks.py), which stops every asset
downstream when it fails. The release validates the articles it writes itself (they gain columns there)."""
from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq

from pipeline.publish.arrow import TableFile, article_chunks, conform, released_schema, with_columns
from pipeline.publish.arrow_typed import typed_parts
from pipeline.publish.integrity import conformed, conformed_table, failure_summary, validated_table
from schemas import schema_for

PREVIEW_ROWS = 5
PREVIEW_CHARS = 60


def column_schema(table: str) -> dg.TableSchema:
    """A Dagster TableSchema from the table's pandera model (types and descriptions)."""
    schema = schema_for(table).to_schema()
    return dg.TableSchema(columns=[
        dg.TableColumn(name, str(col.dtype), description=col.description or "",
                       constraints=dg.TableColumnConstraints(nullable=bool(col.nullable), unique=bool(col.unique)))
        for name, col in schema.columns.items()])


def preview(df: pd.DataFrame) -> str:
    short = df.head(PREVIEW_ROWS).copy()
    for name in short.columns:
        short[name] = short[name].map(lambda v: (s := str(v)) if len(s := str(v)) <= PREVIEW_CHARS else s[:PREVIEW_CHARS] + "…")
    return short.to_markdown(index=False) if len(short) else "(no rows)"


def table_metadata(table: str, df: pd.DataFrame | TableFile) -> dict:
    rows, head = (df.rows, df.head(PREVIEW_ROWS)) if isinstance(df, TableFile) else (len(df), df)
    return {"dagster/row_count": rows, "dagster/column_schema": column_schema(table),
            "preview": dg.MetadataValue.md(preview(head))}


def typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its schema's types; values that cannot take them raise dg.Failure (nothing to write)."""
    try:
        return conformed(table, df)
    except ValueError as exc:
        raise dg.Failure(description=str(exc)) from exc


def output(table: str, df: pd.DataFrame) -> dg.Output:
    df = typed(table, df)
    return dg.Output(df, output_name=table, metadata=table_metadata(table, df))


def typed_file(table: str, chunks, columns: list[str], path: Path, sort: list[str] | None = None) -> TableFile:
    """A table a step produces in chunks (DataFrames that never split an article), given its schema's types chunk
    by chunk and written to `path` (sorted by `sort`, when given) as the IO manager would write the whole frame.
    The step holds Arrow, never the frame; its blocking schema check validates the file."""
    try:
        whole = conformed_table(table, chunks, columns)
    except ValueError as exc:
        raise dg.Failure(description=str(exc)) from exc
    if sort:
        whole = whole.sort_by([(c, "ascending") for c in sort])
    pq.write_table(whole, path, compression="zstd")
    return TableFile(path)


def typed_file_with(table: str, source: Path, added: dict[str, list], path: Path, rows: int,
                    order: list[str] | None = None) -> TableFile:
    """typed_file of the file `source` read in chunks of whole articles of about `rows` rows, each with `added`
    (name -> one value per row of the file) set by with_columns (and reindexed to `order`, when given): the same
    file, typed in Arrow where every column allows it (arrow_typed.py: a file to_arrow wrote keeps most of its
    types), else through pandera chunk by chunk."""
    whole = typed_parts(table, source, rows, added, order)
    if whole is None:
        columns = order or [*dict.fromkeys([*TableFile(source).columns, *added])]
        return typed_file(table, with_columns(article_chunks(source, rows), added, order), columns, path)
    pq.write_table(whole, path, compression="zstd")
    return TableFile(path)


def validated_file(table: str, chunks, columns: list[str], path: Path) -> TableFile:
    """A table written where no asset check follows (the release's articles), validated chunk by chunk and written
    to `path` as released (arrow.released_schema, one write: the release takes the file as it is); raises
    dg.Failure with a readable summary when any chunk fails its schema."""
    whole, cases = validated_table(table, chunks, columns)
    if len(cases):
        raise dg.Failure(description=f"{table} failed its schema",
                         metadata={"failure_cases": dg.MetadataValue.md(failure_summary(cases))})
    pq.write_table(conform(whole, released_schema(table, whole.schema)), path, compression="zstd")
    return TableFile(path)


def file_output(table: str, file: TableFile) -> dg.Output:
    """A table already typed where it was written (extraction workers, typed_file), passed on as its file."""
    return dg.Output(file, output_name=table, metadata=table_metadata(table, file))
