"""The `parley` command: build, query, releases. Thin: it calls the same asset graph and functions."""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

from pipeline import settings


class CliError(Exception):
    pass


def _build(args) -> int:
    input_dir, data_dir = Path(args.input).resolve(), Path(args.data).resolve()
    if not input_dir.is_dir():
        raise CliError(f"input folder not found: {args.input}")
    os.environ["PARLEY_INPUT_DIR"], os.environ["PARLEY_DATA_DIR"] = str(input_dir), str(data_dir)
    settings.ensure_dagster_home()
    import dagster as dg

    from pipeline.definitions import defs
    from pipeline.defs.resources import ParleyFolders, ParquetTables
    from pipeline.publish.lock import Busy, data_lock
    from pipeline.publish.release import latest_path

    definitions = defs()
    resources = {**definitions.resources, "folders": ParleyFolders(input_dir=str(input_dir), data_dir=str(data_dir)),
                 "io_manager": ParquetTables(data_dir=str(data_dir))}
    print(f"parley build: {input_dir} -> {data_dir}", flush=True)
    try:
        with data_lock(data_dir):
            result = dg.materialize(
                list(definitions.assets or []) + list(definitions.asset_checks or []),
                resources=resources, instance=dg.DagsterInstance.get(), raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}})
    except Busy as exc:
        raise CliError(str(exc)) from exc
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        raise CliError(f"build failed in step(s): {', '.join(failed) or 'unknown'}; see the log above")
    release = latest_path(data_dir)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    print("\ntable rows")
    for name, table in sorted(manifest["tables"].items()):
        print(f"  {name:<18} {table['rows']:>8}")
    print(f"release {manifest['version']}: {release}")
    return 0


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([dict(zip(columns, r)) for r in rows], default=str, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        cells = [[("" if v is None else str(v)).replace("\n", " ") for v in r] for r in rows]
        widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
        print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
        print("  ".join("-" * w for w in widths))
        for r in cells:
            print("  ".join((v if len(v) <= w else v[:w - 1] + "…").ljust(w) for v, w in zip(r, widths)))


def _query(args) -> int:
    from pipeline.publish.query import run_query
    columns, rows = run_query(Path(args.data), args.sql)
    _print_rows(columns, rows, args.format)
    return 0


def _releases(args) -> int:
    from pipeline.publish.release import latest_version, list_releases
    releases = list_releases(Path(args.data))
    if not releases:
        raise CliError(f"no release yet in {args.data}: run `parley build` first")
    latest = latest_version(Path(args.data))
    for m in releases:
        rows = ", ".join(f"{n}={t['rows']}" for n, t in sorted(m["tables"].items()))
        print(f"{'*' if m['version'] == latest else ' '} {m['version']}  {m['created_at']}  {rows}")
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="parley", description="News about peace negotiations -> a versioned dataset.")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="materialize every asset and write a release")
    b.add_argument("--input", default=settings.input_dir(), help="folder of articles (default: seeds/)")
    b.add_argument("--data", default=settings.data_dir(), help="output folder (default: data/)")
    b.set_defaults(run=_build)
    q = sub.add_parser("query", help="read-only SQL on the latest release")
    q.add_argument("sql")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.add_argument("--data", default=settings.data_dir())
    q.set_defaults(run=_query)
    r = sub.add_parser("releases", help="list releases with row counts (* = LATEST)")
    r.add_argument("--data", default=settings.data_dir())
    r.set_defaults(run=_releases)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from pipeline.publish.query import QueryRefused
    from pipeline.publish.release import NoRelease
    try:
        return args.run(args)
    except (CliError, NoRelease, QueryRefused) as exc:
        print(f"parley: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
