import tempfile
from pathlib import Path

import pytest
import dagster as dg
import pandas as pd
import pyarrow.parquet as pq

from pipeline.defs.checks import checks_for, integrity_results, schema_results
from pipeline.defs.resources import ParleyFolders, table_resources
from pipeline.publish.integrity import cross_table_failures, has_spans, references_of
from pipeline.publish.arrow import TableFile, article_chunks, read_frame, to_arrow
from pipeline.publish.release import latest_path
from schemas import TABLES
from schemas.outcomes import OutcomesSchema


def _release_tables(data_dir) -> dict[str, pd.DataFrame]:
    return {p.stem: read_frame(p) for p in latest_path(data_dir).glob("*.parquet")}


def _release_files(data_dir) -> dict[str, TableFile]:
    return {p.stem: TableFile(p) for p in latest_path(data_dir).glob("*.parquet")}


def _run(table: str, tables: dict[str, pd.DataFrame]) -> dict[str, dg.AssetCheckResult]:
    """What the table's check steps yield, run on these frames or files (the steps run them on the build's files)."""
    with tempfile.TemporaryDirectory() as cache:  # the schema check keeps its chunks' results there
        found = [*schema_results((table,), tables, Path(cache)), *integrity_results([table], tables)]
    return {r.check_name: r for r in found}


def _specs(table: str) -> dict[str, dg.AssetCheckSpec]:
    return {spec.name: spec for d in checks_for(table) for spec in d.check_specs}


def test_every_table_gets_its_checks():
    assert set(_specs("sentences")) == {"schema", "references", "evidence_spans"}
    for table in TABLES:
        specs = _specs(table)
        assert specs["schema"].blocking and not specs["schema"].additional_deps
        assert ("evidence_spans" in specs) == has_spans(table)
        assert ("references" in specs) == bool(references_of(table))


def test_checks_pass_on_the_seeds_build(built_seeds):
    for tables in (_release_tables(built_seeds), _release_files(built_seeds)):
        for table in TABLES:
            for name, result in _run(table, tables).items():
                assert result.passed, f"{table}.{name}: {result.metadata['failure_cases'].value}"


def test_file_checks_read_in_chunks_of_whole_articles_and_find_what_spans_chunks(built_seeds, tmp_path, monkeypatch):
    """A file is validated in small chunks: an article's rows are never split (the per-article overlap check sees
    them together), and a duplicate id in two chunks is still found."""
    from pipeline.publish import integrity
    monkeypatch.setattr(integrity, "CHUNK_ROWS", 7)
    tables = _release_files(built_seeds)
    mentions = tables["actor_mentions"]
    chunks = list(article_chunks(mentions.path, rows=7))
    assert sum(len(c) for c in chunks) == mentions.rows
    assert all(not set(a["article_id"]) & set(b["article_id"]) for a, b in zip(chunks, chunks[1:]))
    assert integrity.schema_failures("actor_mentions", mentions).empty
    sentences = read_frame(tables["sentences"].path)
    sentences.loc[len(sentences) - 1, "sentence_id"] = sentences.loc[0, "sentence_id"]  # first and last chunk
    path = tmp_path / "sentences.parquet"
    pq.write_table(to_arrow(sentences), path)
    cases = integrity.schema_failures("sentences", TableFile(path))
    assert set(cases["check"]) >= {"field_uniqueness"} and cases["index"].astype(int).max() == len(sentences) - 1


def test_checks_fail_on_a_dangling_article_and_a_span_outside_the_text(built_seeds):
    tables = _release_tables(built_seeds)
    broken = tables["sentences"].copy()
    broken.loc[0, "article_id"] = "art-does-not-exist"
    broken.loc[1, "end"] = len(tables["articles"].set_index("article_id").loc[broken.loc[1, "article_id"], "text"]) + 1
    results = _run("sentences", {**_release_files(built_seeds), "sentences": broken})  # a frame against files
    assert results["schema"].passed
    assert not results["references"].passed and results["references"].metadata["n_failures"].value == 1
    assert "art-does-not-exist" in results["references"].metadata["failure_cases"].value
    assert not results["evidence_spans"].passed and results["evidence_spans"].metadata["n_failures"].value == 1


def test_schema_failure_cases_are_in_the_metadata(built_seeds):
    tables = _release_tables(built_seeds)
    broken = tables["articles"].copy()
    broken.loc[0, "language"] = "klingon"
    broken.loc[1, "duplicate_of"] = "art-missing"
    results = _run("articles", {**tables, "articles": broken})
    assert not results["schema"].passed and "klingon" in results["schema"].metadata["failure_cases"].value
    assert not results["references"].passed  # duplicate_of must name an article too


def test_a_failing_schema_check_stops_downstream_assets(tmp_path):
    @dg.asset
    def articles() -> pd.DataFrame:
        return pd.DataFrame({"article_id": ["a1"], "source_file": ["a.txt"], "source_record": [None], "url": [None],
                             "publisher": [None], "published_date": [None], "title": [None], "text": ["Hello."],
                             "word_count": [1], "language": ["en"], "encoding": ["utf-8"], "duplicate_of": [None],
                             "removed_lines": [[]]})

    @dg.asset
    def sentences(articles: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"article_id": ["a1"], "sentence_id": ["a1-s0"], "paragraph_id": ["a1-p0"],
                             "start": [0], "end": [99], "text": [""]})  # empty text: a schema failure

    @dg.asset(deps=[sentences])
    def downstream() -> None:
        raise AssertionError("must not run after a failed blocking check")

    resources = table_resources(ParleyFolders(data_dir=str(tmp_path)))
    result = dg.materialize([articles, sentences, downstream, *checks_for("sentences")], resources=resources,
                            raise_on_error=False)
    evaluations = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert evaluations == {"schema": False, "references": True, "evidence_spans": False}
    assert not result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey("sentences") in materialized and dg.AssetKey("downstream") not in materialized


def test_the_release_refuses_tables_that_fail_the_cross_table_checks(built_seeds):
    tables = _release_tables(built_seeds)
    assert cross_table_failures(tables) == {}
    broken = tables["sentences"].copy()
    broken.loc[0, "article_id"] = "art-does-not-exist"
    assert set(cross_table_failures({**tables, "sentences": broken})) == {"sentences.references"}


def test_a_table_validated_in_chunks_is_typed_as_one_frame_and_unique_across_chunks():
    """validated_table (resolution steps write their tables with it): a number column that one chunk leaves empty
    is typed as in the whole frame, and an id repeated in two chunks fails the schema's table-wide `unique`."""
    from pipeline.publish.integrity import validated_table
    rows = pd.DataFrame({"outcome_id": ["o-1", "o-2", "o-3"], "article_id": ["a", "b", "c"],
                         "sentence_id": ["a-s1", "b-s1", "c-s1"], "start": [0, 0, 0], "end": [5, 5, 5],
                         "outcome_type": ["prisoner_exchange"] * 3, "status": ["agreed"] * 3,
                         "quantity": [1000.0, None, None], "quantity_unit": ["people", None, None],
                         "round_id": [None] * 3})
    whole, cases = validated_table("outcomes", [rows.iloc[:1], rows.iloc[1:]], list(rows.columns))
    assert cases.empty and whole.num_rows == 3
    assert whole.schema == to_arrow(OutcomesSchema.validate(rows)).schema
    repeated = rows.assign(outcome_id=["o-1", "o-2", "o-1"])
    _, cases = validated_table("outcomes", [repeated.iloc[:1], repeated.iloc[1:]], list(rows.columns))
    assert list(cases["failure_case"]) == ["o-1", "o-1"] and list(cases["index"]) == ["0", "2"]
    empty, cases = validated_table("outcomes", [], list(rows.columns))
    assert cases.empty and empty.num_rows == 0 and empty.column_names == list(rows.columns)


def test_the_writer_only_types_the_table_and_the_blocking_check_validates_it(tmp_path):
    """Each table is validated once, by its blocking check: the step that writes it (metadata.output) gives it the
    schema's types and no more, so a row breaking a rule is written, fails the check and stops what depends on it."""
    from pipeline.defs.metadata import output

    @dg.multi_asset(outs={"articles": dg.AssetOut()})
    def articles():
        yield output("articles", pd.DataFrame({
            "article_id": ["a1", "a1"], "source_file": ["a.txt", "b.txt"], "source_record": [None, None],
            "url": [None, None], "publisher": [None, None], "published_date": [None, None], "title": [None, None],
            "text": ["Hello.", "Hello."], "word_count": ["1", "1"], "language": ["en", "en"],
            "encoding": ["utf-8", "utf-8"], "duplicate_of": [None, None], "removed_lines": [[], []]}))

    @dg.asset(deps=[articles])
    def downstream() -> None:
        raise AssertionError("must not run after a failed blocking check")

    resources = table_resources(ParleyFolders(data_dir=str(tmp_path)))
    result = dg.materialize([articles, downstream, *checks_for("articles")], resources=resources,
                            raise_on_error=False)
    [schema] = [e for e in result.get_asset_check_evaluations() if e.check_name == "schema"]
    assert not schema.passed and "a1" in schema.metadata["failure_cases"].value  # article_id repeated
    assert pd.read_parquet(tmp_path / "work" / "articles.parquet")["word_count"].dtype.kind == "i"  # typed
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey("articles") in materialized and dg.AssetKey("downstream") not in materialized


def test_a_value_that_cannot_take_its_type_fails_the_step_that_writes_it():
    from pipeline.defs.metadata import output
    rows = pd.DataFrame({"article_id": ["a"], "sentence_id": ["a-s0"], "paragraph_id": ["a-p0"], "start": ["zero"],
                         "end": [3], "text": ["Hi."]})
    with pytest.raises(dg.Failure, match="start"):
        output("sentences", rows)


def test_typed_chunks_are_one_arrow_table_without_checks():
    from pipeline.publish.integrity import conformed_table
    rows = pd.DataFrame({"outcome_id": ["o-1", "o-1"], "article_id": ["a", "b"], "sentence_id": ["a-s1", "b-s1"],
                         "start": ["0", "0"], "end": [5, 5], "outcome_type": ["ceasefire"] * 2, "status": ["agreed"] * 2,
                         "quantity": [None, 3], "quantity_unit": [None, "people"], "round_id": [None] * 2})
    whole = conformed_table("outcomes", [rows.iloc[:1], rows.iloc[1:]], list(rows.columns))
    assert whole.num_rows == 2 and str(whole.schema.field("start").type) == "int64"
    assert whole.schema == to_arrow(OutcomesSchema.validate(rows.iloc[:1])).schema  # the repeated id is the check's


def test_the_build_runs_every_table_check_in_few_steps():
    """build_checks (what the build runs) holds exactly the checks checks_for gives each table, in few steps, and
    each schema group holds the tables of one asset step (a group spanning two steps could wait for itself)."""
    from pipeline.defs.checks import SCHEMA_GROUPS, build_checks
    from pipeline.definitions import defs

    built = build_checks()
    specs = {(s.asset_key.path[-1], s.name): s.blocking for d in built for s in d.check_specs}
    wanted = {(t, name): spec.blocking for t in TABLES for name, spec in _specs(t).items()}
    assert specs == wanted
    assert len(built) <= len(SCHEMA_GROUPS) + 3
    outputs = [{k.path[-1] for k in a.keys} for a in defs().assets if getattr(a, "keys", None)]
    for tables in SCHEMA_GROUPS.values():
        assert any(set(tables) <= out for out in outputs), tables
    defs().resolve_job_def("build_all")  # no cycle


def test_a_failing_schema_check_of_a_group_stops_what_reads_the_table(tmp_path):
    from pipeline.defs.checks import _schema_check

    @dg.multi_asset(outs={"articles": dg.AssetOut(), "rejected_inputs": dg.AssetOut()})
    def ingest():
        yield dg.Output(pd.DataFrame({"article_id": ["a1"], "source_file": ["a.txt"], "source_record": [None],
                                      "url": [None], "publisher": [None], "published_date": [None], "title": [None],
                                      "text": [""], "word_count": [0], "language": ["en"], "encoding": ["utf-8"],
                                      "duplicate_of": [None], "removed_lines": [[]]}), output_name="articles")
        yield dg.Output(pd.DataFrame({"source_file": [], "reason": [], "bytes": [], "detail": []}),
                        output_name="rejected_inputs")

    @dg.asset(deps=["articles"])
    def downstream() -> None:
        raise AssertionError("must not run after a failed blocking check")

    resources = table_resources(ParleyFolders(data_dir=str(tmp_path)))
    result = dg.materialize([ingest, downstream, _schema_check(("articles", "rejected_inputs"), "ingest_schema")],
                            resources=resources, raise_on_error=False)
    evaluations = {(e.asset_key.path[-1], e.check_name): e.passed for e in result.get_asset_check_evaluations()}
    assert evaluations[("articles", "schema")] is False
    assert ("rejected_inputs", "schema") in evaluations
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey("articles") in materialized and dg.AssetKey("downstream") not in materialized


def test_the_release_checks_in_one_duckdb_find_what_each_table_alone_finds(built_seeds):
    """cross_table_failures runs every table's checks in one DuckDB connection (views replaced table by table):
    a broken table's failures are found, and never attributed to the tables checked after it."""
    from pipeline.publish.integrity import reference_failures, span_failures
    files = _release_files(built_seeds)
    broken = read_frame(files["sentences"].path)
    broken.loc[0, "article_id"] = "art-does-not-exist"
    broken.loc[1, "end"] = 10**9
    tables = {**files, "sentences": broken}
    failures = cross_table_failures(tables)
    assert set(failures) == {"sentences.references", "sentences.evidence_spans"}
    pd.testing.assert_frame_equal(failures["sentences.references"], reference_failures("sentences", broken, tables))
    pd.testing.assert_frame_equal(failures["sentences.evidence_spans"], span_failures(broken, files["articles"]))
