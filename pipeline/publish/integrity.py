"""Integrity of the tables as plain functions: schema, references between tables, evidence spans.

Each returns its failure cases as a DataFrame (empty when all is well). The asset checks report them in
the UI; the release asset runs the cross-table ones again over everything it is about to publish.
"""
from __future__ import annotations

import pandas as pd
from pandera.errors import SchemaErrors

from pipeline.publish.keys import references
from schemas import TABLES, schema_for

SCHEMA_CASES = ["column", "check", "failure_case", "index"]
REFERENCE_CASES = ["column", "value", "missing_in", "row"]


def schema_columns(table: str) -> list[str]:
    return list(schema_for(table).to_schema().columns)


def references_of(table: str) -> dict[str, tuple[str, str]]:
    return references(table, schema_columns(table), TABLES)


def has_spans(table: str) -> bool:
    return table != "articles" and {"article_id", "start", "end"} <= set(schema_columns(table))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def schema_failures(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """pandera's failure cases (lazy: every failing column and check at once)."""
    try:
        schema_for(table).validate(df, lazy=True)
    except SchemaErrors as exc:
        return exc.failure_cases[SCHEMA_CASES].astype(str)
    return pd.DataFrame(columns=SCHEMA_CASES)


def reference_failures(table: str, df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per value of a reference column missing from its parent table; nulls are never dangling."""
    rows = []
    for column, (parent, key) in references_of(table).items():
        if column not in df.columns or parent not in tables:
            continue
        known = set(tables[parent][key]) if key in tables[parent].columns else set()
        values = df[column]
        if values.map(lambda v: isinstance(v, (list, tuple)) or hasattr(v, "tolist")).any():
            values = values.map(lambda v: v.tolist() if hasattr(v, "tolist") else v).explode()
        rows += [{"column": column, "value": str(v), "missing_in": f"{parent}.{key}", "row": row}
                 for row, v in values.items() if not _missing(v) and v not in known]
    return pd.DataFrame(rows, columns=REFERENCE_CASES)


def span_failures(df: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Rows whose evidence is not 0 <= start <= end <= len(text) of their article.

    Rows whose article is missing are left to reference_failures, which names them.
    """
    lengths = dict(zip(articles["article_id"], articles["text"].str.len()))
    spans = df[["article_id", "start", "end"]].dropna().copy()
    spans["text_length"] = spans["article_id"].map(lengths)
    spans = spans[spans["text_length"].notna()]
    bad = ~((spans["start"] >= 0) & (spans["start"] <= spans["end"]) & (spans["end"] <= spans["text_length"]))
    return spans[bad].astype({"text_length": int}).rename_axis("row").reset_index()


def cross_table_failures(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """'<table>.references' / '<table>.evidence_spans' -> failure cases, only for the checks that fail."""
    out = {}
    for table, df in tables.items():
        if table not in TABLES:
            continue
        if references_of(table):
            out[f"{table}.references"] = reference_failures(table, df, tables)
        if has_spans(table) and "articles" in tables:
            out[f"{table}.evidence_spans"] = span_failures(df, tables["articles"])
    return {name: cases for name, cases in out.items() if len(cases)}
