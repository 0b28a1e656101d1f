"""Asset checks for every table in schemas.TABLES: its pandera schema, its references, its evidence spans.

Generated in a loop (PUDL's asset_check_from_schema), so a table added to TABLES gets its checks without code
here. The schema check is where a table's data is validated, once: the step that writes a table only gives it
the schema's column types (metadata.typed, extract.typed), so a row that breaks a rule reaches this check, which
fails with the failure cases in its metadata. It is blocking: nothing downstream runs on such a table. The cross-table checks cannot be
blocking, because a table's parent may be built after it (actor_mentions -> actors): a blocking check on
actor_mentions that reads actors would make the graph circular. They report in the UI, and the release
asset runs the same functions (pipeline/publish/integrity.py) and refuses to publish when any fails.

Checks get each table as its Parquet file (a TableFile; the tables are the checks' dependencies, not inputs, see
ParleyFolders.table_files): the schema is validated in chunks of whole articles and the cross-table checks are DuckDB
joins, so no check holds a large table in memory. `schema_results` and `integrity_results` are what the steps run,
callable without Dagster on files or DataFrames.

The build runs them in few steps: one schema step per step that writes tables (SCHEMA_GROUPS: a step's tables are
checked together, so what reads any of them waits for that one step) and one step for every cross-table check
(they block nothing). A step costs ~0.5-1 s of Dagster bookkeeping whatever it does (a run record per event, each
input loaded and announced): 32 check steps cost a re-run more than all their validation. `checks_for(table)`
gives one table's checks as their own steps (tests, and a table no group lists).
"""

from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.defs.resources import ParleyFolders
from pipeline.publish.arrow import TableFile
from pipeline.publish.integrity import (Table, has_spans, reference_failures, references_of, schema_failures,
                                        shared_connection, span_failures)
from schemas import TABLES

MAX_CASES = 20


# The tables each step writes: their schema checks run as one step. A group must hold tables of one step only
# (a table read by the step that writes another would wait for its own reader: a cycle); tests pin each group to
# the outputs of one asset step.
SCHEMA_GROUPS = {
    "ingest": ("articles", "rejected_inputs"),
    "extractions": ("sentences", "extraction_errors", "dates", "claims", "actor_mentions", "roles", "quotes"),
    "round_resolution": ("rounds", "round_mentions", "positions", "outcomes"),
    "fact_resolution": ("facts", "fact_mentions"),
}


def _result(check: str, cases: pd.DataFrame, asset: str | None = None, **metadata) -> dg.AssetCheckResult:
    cases_md = cases.head(MAX_CASES).to_markdown(index=False) if len(cases) else "(none)"
    return dg.AssetCheckResult(check_name=check, asset_key=asset, passed=len(cases) == 0, metadata={
        "n_failures": len(cases), "failure_cases": dg.MetadataValue.md(cases_md), **metadata})


def _schema_spec(table: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec("schema", asset=table, blocking=True,
                             description=f"{table} passes its pandera schema ({TABLES[table]}), checked lazily.")


def schema_results(tables, files: dict[str, Table], cache: Path | None):
    """Each table's schema check result (its file or frame in `files`), chunk results kept under `cache`."""
    with shared_connection() as con:  # for the tables' re-runs (a connection costs ~30 ms)
        for table in tables:
            rows = files[table].rows if isinstance(files[table], TableFile) else len(files[table])
            yield _result("schema", schema_failures(table, files[table], cache, con), asset=table, rows=rows)


def _schema_check(tables: tuple[str, ...], name: str) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(name=name, specs=[_schema_spec(t) for t in tables])
    def _run(folders: ParleyFolders):
        cache = Path(folders.data_dir) / "cache" / "checks"  # each chunk's result, kept between runs
        yield from schema_results(tables, folders.table_files(tables), cache)

    return _run


def _integrity_specs(table: str) -> tuple[list[dg.AssetCheckSpec], set[str]]:
    """The table's cross-table check specs and the tables they read."""
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
    inputs = {table, *(p for p, _ in refs.values()), *(["articles"] if has_spans(table) else [])} if specs else set()
    return specs, inputs


def integrity_results(tables, files: dict[str, Table]):
    """The cross-table check results of `tables` (references and evidence spans) over `files` (files or frames)."""
    with shared_connection() as con:  # one DuckDB for all: a connection costs ~30 ms, a check ~10-30 ms
        for table in tables:
            if references_of(table):
                yield _result("references", reference_failures(table, files[table], files, con), asset=table)
            if has_spans(table):
                yield _result("evidence_spans", span_failures(files[table], files["articles"], con), asset=table)


def _integrity_step(tables: list[str], name: str) -> dg.AssetChecksDefinition | None:
    """The cross-table checks of `tables` as one step (each table's references and evidence spans). The tables it
    reads are its specs' targets and additional_deps, so the step depends on each."""
    specs, inputs = [], set()
    for table in tables:
        more, read = _integrity_specs(table)
        specs += more
        inputs |= read
    if not specs:
        return None

    @dg.multi_asset_check(name=name, specs=specs)
    def _run(folders: ParleyFolders):
        yield from integrity_results(tables, folders.table_files(sorted(inputs)))

    return _run


def checks_for(table: str) -> list[dg.AssetChecksDefinition]:
    """One table's checks as steps of their own: its schema, and its references and evidence spans."""
    return [d for d in (_schema_check((table,), f"{table}_schema"), _integrity_step([table], f"{table}_integrity"))
            if d is not None]


def build_checks() -> list[dg.AssetChecksDefinition]:
    """Every table's checks in few steps: a schema step per group (SCHEMA_GROUPS; a table no group lists gets its
    own), and one step for all cross-table checks."""
    grouped = {t for tables in SCHEMA_GROUPS.values() for t in tables}
    steps = [_schema_check(tables, f"{name}_schema") for name, tables in SCHEMA_GROUPS.items()]
    steps += [_schema_check((t,), f"{t}_schema") for t in TABLES if t not in grouped]
    return [d for d in [*steps, _integrity_step(list(TABLES), "cross_table_integrity")] if d is not None]


@dg.definitions
def checks() -> dg.Definitions:
    return dg.Definitions(asset_checks=build_checks())
