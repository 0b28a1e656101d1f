"""Asset checks for every table in schemas.TABLES: its pandera schema, its references, its evidence spans.

Generated in a loop (PUDL's asset_check_from_schema), so a table added to TABLES gets its checks without code
here. The schema check is where a table's data is validated, once: the step that writes a table only gives it
the schema's column types (metadata.typed, extract.typed), so a row that breaks a rule reaches this check, which
fails with the failure cases in its metadata. It is blocking: nothing downstream runs on such a table. The cross-table checks cannot be
blocking, because a table's parent may be built after it (actor_mentions -> actors): a blocking check on
actor_mentions that reads actors would make the graph circular. They report in the UI, and the release
asset runs the same functions (pipeline/publish/integrity.py) and refuses to publish when any fails.

Checks get each table as its Parquet file (a TableFile): the schema is validated in chunks of whole articles and
the cross-table checks are DuckDB joins, so no check holds a large table in memory.
"""

import dagster as dg
import pandas as pd

from pipeline.publish.arrow import TableFile
from pipeline.publish.integrity import has_spans, reference_failures, references_of, schema_failures, span_failures
from schemas import TABLES

MAX_CASES = 20
AS_FILE = "table_files"  # checks read the Parquet files in chunks or with DuckDB, never whole DataFrames


def _result(check: str, cases: pd.DataFrame, **metadata) -> dg.AssetCheckResult:
    cases_md = cases.head(MAX_CASES).to_markdown(index=False) if len(cases) else "(none)"
    return dg.AssetCheckResult(check_name=check, passed=len(cases) == 0, metadata={
        "n_failures": len(cases), "failure_cases": dg.MetadataValue.md(cases_md), **metadata})


def _schema_check(table: str) -> dg.AssetChecksDefinition:
    spec = dg.AssetCheckSpec("schema", asset=table, blocking=True,
                             description=f"{table} passes its pandera schema ({TABLES[table]}), checked lazily.")

    @dg.multi_asset_check(name=f"{table}_schema", specs=[spec], ins={table: dg.AssetIn(table, input_manager_key=AS_FILE)})
    def _run(**tables: TableFile):
        rows = tables[table].rows if isinstance(tables[table], TableFile) else len(tables[table])
        yield _result("schema", schema_failures(table, tables[table]), rows=rows)

    return _run


def _integrity_checks(table: str) -> dg.AssetChecksDefinition | None:
    refs = references_of(table)
    specs = []
    if refs:
        specs.append(dg.AssetCheckSpec(
            "references", asset=table, additional_deps=sorted({p for p, _ in refs.values()} - {table}),
            description="Every " + ", ".join(f"{c} is in {p}.{k}" for c, (p, k) in refs.items()) + " (nulls allowed)."))
    if has_spans(table):
        specs.append(dg.AssetCheckSpec(
            "evidence_spans", asset=table, additional_deps=["articles"],
            description="Every evidence span lies inside its article: 0 <= start <= end <= len(articles.text)."))
    if not specs:
        return None
    inputs = sorted({table, *(p for p, _ in refs.values()), *(["articles"] if has_spans(table) else [])})

    @dg.multi_asset_check(name=f"{table}_integrity", specs=specs,
                          ins={name: dg.AssetIn(name, input_manager_key=AS_FILE) for name in inputs})
    def _run(**tables: TableFile):
        if refs:
            yield _result("references", reference_failures(table, tables[table], tables))
        if has_spans(table):
            yield _result("evidence_spans", span_failures(tables[table], tables["articles"]))

    return _run


def checks_for(table: str) -> list[dg.AssetChecksDefinition]:
    return [d for d in (_schema_check(table), _integrity_checks(table)) if d is not None]


@dg.definitions
def checks() -> dg.Definitions:
    return dg.Definitions(asset_checks=[d for table in TABLES for d in checks_for(table)])
