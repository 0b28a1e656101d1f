"""The `parley` command: build, query, releases, export, diff, facts. Thin: it calls the same graph and functions."""
from __future__ import annotations

import argparse
import csv  # noqa: F401  (kept for the CSV export code that shares this module)
import json
import os
import sys
from pathlib import Path

from pipeline import seen_files, settings
from pipeline.cli_query import query_arguments, run_query_command


class CliError(Exception):
    pass


def _build(args) -> int:
    input_dir, data_dir = Path(args.input).resolve(), Path(args.data).resolve()
    if not input_dir.is_dir():
        raise CliError(f"input folder not found: {args.input}")
    os.environ["PARLEY_INPUT_DIR"], os.environ["PARLEY_DATA_DIR"] = str(input_dir), str(data_dir)
    settings.ensure_dagster_home()
    from pipeline.nlp import built_tables
    from pipeline.nlp.workers import start_workers, stop_workers
    built_tables.use_folder(data_dir / "cache" / "tables")  # before the workers' server starts: it reads them
    files = seen_files.snapshot(input_dir)  # as they are before ingest reads them
    if _will_parse(input_dir, data_dir, files):
        # The extraction workers' server loads the model and the extractors' tables on another core while this
        # process starts Dagster and ingests (nlp/workers.py); the extraction step stops it.
        start_workers()
    try:
        status = _build_in(input_dir, data_dir)
    finally:
        stop_workers()
    seen_files.remember(files, data_dir)
    return status


# nlp/extract.PARALLEL_FROM (40) articles of at least 2 kB; not imported from there: that loads every extractor
# before the workers' server can start.
WORKER_INPUT_BYTES = 40 * 2_000


def _will_parse(input_dir: Path, data_dir: Path, files: frozenset) -> bool:
    """Probably something to parse: a first build (no extraction cache yet) with input enough for workers (under
    PARALLEL_FROM articles, and an article is rarely under 2 kB, the step's own process parses), or a re-run whose
    input or code the last build did not see (pipeline/seen_files.py; on a started server, workers parse even one
    article). Else not started: a warm-up of ~6 s CPU for nothing slowed a loaded machine's re-run."""
    cache = data_dir / "cache" / "extract"
    if cache.is_dir() and any(cache.iterdir()):
        return seen_files.anything_new(files, data_dir)
    return sum(p.stat().st_size for p in input_dir.rglob("*") if p.is_file()) >= WORKER_INPUT_BYTES


def _build_in(input_dir: Path, data_dir: Path) -> int:
    import dagster as dg

    from pipeline.definitions import defs
    from pipeline.build_memory import outputs_not_kept
    from pipeline.defs.resources import ParleyFolders, table_resources
    from pipeline.publish.lock import Busy, data_lock
    from pipeline.publish.release import latest_path
    from pipeline.run_log import quick_run_log

    definitions = defs()
    resources = {**definitions.resources,
                 **table_resources(ParleyFolders(input_dir=str(input_dir), data_dir=str(data_dir)))}
    print(f"parley build: {input_dir} -> {data_dir}", flush=True)
    from pipeline.nlp.progress import keep_terminal
    keep_terminal()  # the parse's progress bar goes to this terminal, not into Dagster's captured stderr
    try:
        with data_lock(data_dir), quick_run_log(Path(os.environ["PARLEY_DAGSTER_STORAGE"])):
            _sync_catalog(data_dir)
            with outputs_not_kept():  # pipeline/build_memory.py
                result = _build_all_job(definitions, resources).execute_in_process(
                    instance=dg.DagsterInstance.get(), raise_on_error=False,
                    tags={"parley/launched_by": "parley build"},
                    run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}})
    except Busy as exc:
        raise CliError(str(exc)) from exc
    if not result.success:
        raise CliError(f"build failed in step(s): {_failed_steps(result) or 'unknown'}; see the log above")
    release = latest_path(data_dir)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    print("\ntable rows")
    for name, table in sorted(manifest["tables"].items()):
        print(f"  {name:<18} {table['rows']:>8}")
    from pipeline.publish.card import found_in_release
    print(found_in_release(release))
    print(_where_next(manifest["version"], release, data_dir))
    return 0


def _failed_steps(result) -> str:
    """The failed steps, each with the one-line reason a step gave (dg.Failure's description), if any."""
    parts = []
    for event in result.all_events:
        if event.is_step_failure:
            user = event.step_failure_data.user_failure_data
            why = user.description if user is not None and user.description else ""
            parts.append(f"{event.step_key} ({why.splitlines()[0]})" if why else event.step_key)
    return ", ".join(parts)


def _sync_catalog(data_dir: Path) -> None:
    """The catalog follows LATEST from the start of the build (a killed build may have left it behind or ahead);
    one the build could not update (open in another program, a user object in the way) stops it here."""
    from pipeline.publish.catalog import sync_catalog
    sync_catalog(data_dir)


def _where_next(version: str, release: Path, data_dir: Path) -> str:
    """The end of a build: where the release and the database are, and two queries to start from."""
    from pipeline.publish.catalog import CATALOG
    data = _shown(data_dir)
    # the command as it was typed when it was the parley script (`.venv/bin/parley` after `make run`)
    parley = _shown(Path(sys.argv[0])) if Path(sys.argv[0]).name == "parley" else "parley"
    return "\n".join([
        f"release {version}: {release}",
        f"database: {data_dir / CATALOG} (DuckDB; one view per table of the latest release)",
        "try:",
        f"  {parley} query \"select publisher, count(*) as articles from articles group by 1 order by 2 desc\" --data {data}",
        f"  {parley} query \"select label, date_start, city, n_articles from rounds order by date_start\" --data {data}",
        f"CSV for R, Stata or a spreadsheet: {parley} export --format csv --zip parley-csv.zip --data {data}"])


def _shown(path: Path) -> str:
    """A path as short as it can be written from here (relative below the working folder), quoted for a shell."""
    import shlex
    try:
        text = str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        text = str(path)
    return shlex.quote(text)


def _build_all_job(definitions, resources: dict):
    """The UI's `build_all` job (the release and everything upstream, with their checks) bound to this build's
    folders: a CLI build runs in this process and is listed in the UI's runs as build_all, not as an unnamed
    ephemeral job. Partitioned assets (extraction batches) stay out, as in the UI's job."""
    import dagster as dg

    from pipeline.defs.automation import build_all
    bound = dg.Definitions(assets=definitions.assets, asset_checks=definitions.asset_checks, jobs=[build_all],
                           resources=resources)
    return bound.resolve_job_def(build_all.name)


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    from pipeline.cli_output import print_rows
    print_rows(columns, rows, fmt)


def _releases(args) -> int:
    from pipeline.publish.release import latest_version, list_releases
    from pipeline.publish.safe_text import visible
    releases = list_releases(Path(args.data))
    if not releases:
        raise CliError(f"no release yet in {args.data}: run `parley build` first")
    latest = latest_version(Path(args.data))
    for m in releases:
        rows = ", ".join(f"{n}={t['rows']}" for n, t in sorted(m["tables"].items()))
        print(visible(f"{'*' if m['version'] == latest else ' '} {m['version']}  {m['created_at']}  {rows}"))
    return 0


def _release_path(data: str, version: str | None) -> Path:
    """A version name under <data>/releases (LATEST when None), or a path to a release folder."""
    from pipeline.publish.release import latest_path, releases_dir
    if version is None:
        return latest_path(Path(data))
    for candidate in (Path(version), releases_dir(Path(data)) / version):
        if (candidate / "manifest.json").is_file():
            return candidate
    raise CliError(f"no release {version!r} in {releases_dir(Path(data))}")


def _export(args) -> int:
    from pipeline.publish.export import export_zip
    release, target = _release_path(args.data, args.version), Path(args.zip)
    if target.is_dir():
        raise CliError(f"--zip {args.zip} is a folder; give the name of the zip file to write")
    try:
        written = export_zip(release, target)
    except OSError as exc:
        raise CliError(f"cannot write {args.zip}: {exc.strerror or exc}") from exc
    print(f"{written}: release {release.name}")
    return 0


def _export_csv(args) -> int:
    from pipeline.publish.csv_export import export_csv
    release = _release_path(args.data, args.version)
    try:
        written = export_csv(release, Path(args.zip))
    except OSError as exc:
        raise CliError(f"cannot write {args.zip}: {exc.strerror or exc}") from exc
    print(f"{written}: release {release.name} as CSV")
    return 0


def _export_by_format(args) -> int:
    return _export_csv(args) if args.format == "csv" else _export(args)


def _diff(args) -> int:
    from pipeline.publish.diff import diff_releases
    from pipeline.publish.safe_text import json_safe, visible
    old, new = _release_path(args.data, args.old), _release_path(args.data, args.new)
    result = diff_releases(old, new)
    if args.format == "json":
        print(json_safe(json.dumps(result, indent=1, ensure_ascii=False, default=str)))
        return 0
    print(f"{old.name} -> {new.name}")
    _print_rows(["table", "key", "rows_old", "rows_new", "added", "removed", "changed"],
                [(n, d["key"] or "(whole rows)", d["rows_old"], d["rows_new"], d["added"], d["removed"], d["changed"])
                 for n, d in result.items()], "table")
    for name, d in result.items():
        for line in _diff_examples(name, d):
            line = visible(line)
            print(f"  {line if len(line) <= 160 else line[:159] + '…'}")
    return 0


def _diff_examples(name: str, d: dict) -> list[str]:
    """Example rows of one table's diff, shown by their key columns: the id, or for a table without one the
    columns that identify a row (its schema's unique columns, else the first three), never as escaped JSON."""
    from pipeline.publish.codebook import unique_together
    columns = d.get("columns") or []
    shown = [c for c in unique_together(name) if c in columns] or columns[:3]
    lines = []
    for kind in ("added", "removed", "changed"):
        for example in d["examples"][kind]:
            if d["key"]:
                label = f"{d['key']}={example}"
                if kind == "changed" and (changed := d.get("changed_columns", {}).get(example)):
                    label += f" (changed: {', '.join(changed)})"
            else:
                row = dict(zip(columns, (json.loads(v) for v in json.loads(example))))
                label = ", ".join(f"{c}={row.get(c)}" for c in shown)
            lines.append(f"{name} {kind}: {label}")
    for kind in ("columns_added", "columns_removed"):
        if d[kind]:
            lines.append(f"{name} {kind.replace('_', ' ')}: {', '.join(d[kind])}")
    return lines


def _facts(args) -> int:
    from pipeline.publish.fact_queries import NoFacts, top_facts
    if args.top < 1:
        raise CliError(f"--top must be a whole number of at least 1, not {args.top}")
    try:
        columns, rows = top_facts(_release_path(args.data, None), args.top, args.contested, args.actor)
    except NoFacts as exc:
        raise CliError(str(exc)) from exc
    _print_rows(columns, rows, args.format)
    return 0


class _Version(argparse.Action):
    """--version: the package version and the hash of the code, as recorded in each release's manifest."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from pipeline.code_version import code_version
        print(f"parley {code_version()}")
        parser.exit()


DATA_HELP = ("data folder holding releases/ and parley.duckdb (default: $PARLEY_DATA_DIR when set, else the "
             "data/ folder of the Parley project, wherever you run the command from: %(default)s)")
FORMAT_HELP = "output format: table (aligned text), csv or json (default: %(default)s)"


def _data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=settings.data_dir(), metavar="FOLDER", help=DATA_HELP)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="parley", description="News about peace negotiations -> a versioned dataset.",
                                 epilog="`parley COMMAND --help` describes each command's arguments.")
    ap.add_argument("--version", action=_Version, help="print the version (package + code hash) and exit")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="materialize every asset and write a release",
                       description="Ingest, extract, resolve, validate and release the articles of a folder.")
    b.add_argument("--input", default=settings.input_dir(), metavar="FOLDER",
                   help="folder of articles (.txt, .md, .html, .json, .jsonl; optional manifest.csv) "
                        "(default: $PARLEY_INPUT_DIR when set, else the project's seeds/: %(default)s)")
    _data(b)
    b.set_defaults(run=_build)
    q = sub.add_parser("query", help="read-only SQL on the latest release",
                       description="Run one read-only SQL statement (DuckDB dialect) on the latest release: every "
                                   "table is a view (articles, sentences, rounds, ...).")
    q.add_argument("sql", help="one SELECT statement, quoted, e.g. \"select count(*) from articles\"")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table", help=FORMAT_HELP)
    _data(q)
    query_arguments(q)
    q.set_defaults(run=run_query_command)
    r = sub.add_parser("releases", help="list releases with row counts (* = LATEST)")
    _data(r)
    r.set_defaults(run=_releases)
    e = sub.add_parser("export", help="one release as a zip of Parquet or CSV files (same release, same bytes)",
                       description="Write one release as a deterministic zip: its Parquet files and documents "
                                   "(--format parquet), or one UTF-8 CSV per table with a data package describing "
                                   "them, the codebook, citation and card (--format csv).")
    e.add_argument("--zip", required=True, metavar="FILE", help="the zip file to write")
    e.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                   help="parquet: the release folder as it is; csv: one CSV per table, lists as JSON arrays "
                        "(see CSV.md in the zip) (default: %(default)s)")
    e.add_argument("--version", metavar="VERSION", help="release version or folder (default: LATEST)")
    _data(e)
    e.set_defaults(run=_export_by_format)
    d = sub.add_parser("diff", help="rows added, removed and changed per table between two releases")
    d.add_argument("old", help="older release: version name or folder")
    d.add_argument("new", help="newer release: version name or folder")
    d.add_argument("--format", choices=("table", "json"), default="table",
                   help="table: counts and example rows by their key columns; json: everything (default: %(default)s)")
    _data(d)
    d.set_defaults(run=_diff)
    f = sub.add_parser("facts", help="best-supported facts of the latest release")
    f.add_argument("--top", type=int, default=20, help="how many (default 20)")
    f.add_argument("--contested", action="store_true", help="only facts whose sources disagree")
    f.add_argument("--actor", help="only facts about this actor (name, alias or id; substring)")
    f.add_argument("--format", choices=("table", "csv", "json"), default="table", help=FORMAT_HELP)
    _data(f)
    f.set_defaults(run=_facts)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from pipeline.publish.query import QueryRefused
    from pipeline.publish.release import NoRelease
    from pipeline.publish.catalog import CatalogError
    from pipeline.publish.safe_text import visible
    try:
        return args.run(args)
    except (CliError, NoRelease, QueryRefused, CatalogError) as exc:
        print(f"parley: {visible(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"parley: {args.command} interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`parley query ... | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 141  # 128 + SIGPIPE, what a shell reports for a tool killed by the broken pipe


if __name__ == "__main__":
    sys.exit(main())
