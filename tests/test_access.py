"""Read-only access: `parley query` runs one SELECT over the release's files and nothing else; the UI listens on
the loopback interface only; a release carries no path of the build machine and no secret from its environment."""
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.publish import catalog
from pipeline.publish.catalog import CATALOG, CatalogError, catalog_version, write_catalog
from pipeline.publish.query import QueryRefused, run_query
from pipeline.publish.release import latest_path, latest_version, write_release

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def build(built_seeds, build_secrets):
    """The session's build of the seeds, run with secrets in its environment under a distinctive folder;
    (data folder, the build's environment)."""
    return built_seeds, {**os.environ, **build_secrets}


@pytest.fixture(scope="module")
def outside(tmp_path_factory, build):
    """A readable file outside the release, in (a copy of) the data folder itself, that no query may reach."""
    data = tmp_path_factory.mktemp("outside") / "data"
    shutil.copytree(build[0], data)
    release = latest_path(data)
    (data / "secret.csv").write_text("password\nhunter2\n", encoding="utf-8")
    (data / "secret.parquet").write_bytes((release / "articles.parquet").read_bytes())
    return data


REFUSED = [
    # writes and catalog changes
    "create table x as select 1", "insert into articles select * from articles", "delete from articles",
    "update articles set title = 'x'", "drop view articles", "create view v as select 1", "create macro m() as 1",
    "explain analyze create table x as select 1", "/* hi */ EXPLAIN -- x\n ANALYZE insert into articles select 1",
    # other databases, extensions, exports, transactions
    "attach 'other.db' as o", "attach ':memory:' as o", "detach memory", "use system",
    "install httpfs", "load httpfs", "force install json", "copy articles to 'out.csv'",
    "copy (select 1) to '/tmp/x.parquet'", "export database '/tmp/x'", "import database '/tmp/x'",
    "begin transaction", "checkpoint", "vacuum",
    # configuration
    "set enable_external_access = true", "set allowed_directories = ['/']", "reset lock_configuration",
    "pragma enable_profiling", "set memory_limit = '100GB'", "call pragma_database_list()",
    # more than one statement, including one hidden behind a comment
    "select 1; select 2", "select 1; drop view articles", "select 1 -- x\n; attach 'x.db'",
    # not SQL at all
    "selec nothing", "",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_refused_statements(build, sql):
    with pytest.raises(QueryRefused):
        run_query(build[0], sql)


def reads(data: Path) -> list[str]:
    release = latest_path(data)
    return [
        "select * from read_csv('/etc/passwd')", "select * from read_text('/etc/hostname')",
        "select * from read_blob('/etc/hostname')", "select * from glob('/*')", "select * from glob('*')",
        "select * from 'https://example.org/x.csv'", "select * from read_json_auto('/etc/passwd')",
        f"select * from read_csv('{data}/secret.csv')", f"select * from '{data}/secret.parquet'",
        f"select * from read_parquet('{release}/../../secret.parquet')",
        f"select * from read_parquet('{release}/../../*.parquet')",
        f"select * from glob('{release}/../*')", f"select * from parquet_metadata('{data}/secret.parquet')",
        "select * from query('attach ''x.db''')", "select * from duckdb_secrets()",
    ]


def test_no_file_outside_the_release_is_readable(outside):
    for sql in reads(outside):
        with pytest.raises(QueryRefused):
            run_query(outside, sql)


def test_duckdb_spill_folder_is_not_readable(outside, tmp_path, monkeypatch):
    """DuckDB allows its temp folder (./.tmp) by default: a file left there must stay unreadable too."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".tmp").mkdir()
    (tmp_path / ".tmp" / "leak.csv").write_text("password\nhunter2\n", encoding="utf-8")
    with pytest.raises(QueryRefused):
        run_query(outside, f"select * from read_csv('{tmp_path}/.tmp/leak.csv')")


def test_read_only_queries_still_work(build):
    data, _ = build
    release = latest_path(data)
    assert run_query(data, "select count(*) from articles")[1] == [(5,)]
    assert run_query(data, "  with a as (select 1 as x) select x from a;")[1] == [(1,)]
    assert run_query(data, "explain select count(*) from sentences")[0]
    assert run_query(data, "/* plan */ explain analyze select 1")[0]
    assert run_query(data, "describe articles")[1]
    assert run_query(data, f"select count(*) from read_parquet('{release}/articles.parquet')")[1] == [(5,)]


def test_refusals_are_one_line_on_the_cli(build, capsys):
    for sql in ("attach 'x.db'", "select 1; select 2", "select * from read_csv('/etc/passwd')"):
        assert main(["query", sql, "--data", str(build[0])]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("parley: ") for line in err)


def test_ui_binds_loopback_only():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^ui:.*\n((?:\t.*\n?)+)", makefile, re.MULTILINE).group(1)
    serve = [line for line in recipe.splitlines() if re.search(r"\b(dg|dagster|dagster-webserver)\b.*\bdev\b", line)]
    assert serve and all("--host 127.0.0.1" in line for line in serve)
    assert "0.0.0.0" not in makefile


def test_release_holds_no_machine_path_or_secret(build, build_secrets):
    data, env = build
    release = latest_path(data)
    needles = {str(data), str(data.parent), str(ROOT), *build_secrets.values(), env["PARLEY_DAGSTER_STORAGE"]}
    home = os.path.expanduser("~")
    if len(home) > 1:
        needles.add(home + "/")
    for name, value in env.items():
        if re.search(r"TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY", name) and len(value) >= 8:
            needles.add(value)
    files = [p for p in release.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"manifest.json", "articles.parquet"}
    for path in files:
        content = path.read_bytes()
        for needle in needles:
            assert needle.encode() not in content, f"{path.name} contains {needle!r}"


# --- the DuckDB catalog: portable, regenerated, and the user's own objects kept -----------------------------------

def _copy(built: Path, to: Path) -> Path:
    shutil.copytree(built, to)
    return to


def _views(con) -> dict[str, str]:
    return dict(con.execute("select view_name, sql from duckdb_views() where not internal").fetchall())


def test_moved_data_folder_opens_with_the_duckdb_module(built_seeds, tmp_path, monkeypatch):
    first = _copy(built_seeds, tmp_path / "first")
    (tmp_path / "far" / "away").mkdir(parents=True)
    moved = first.rename(tmp_path / "far" / "away" / "data")  # the folder as downloaded or moved elsewhere
    manifest = json.loads((latest_path(moved) / "manifest.json").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)  # anywhere: the search path says where the folder is
    con = duckdb.connect(str(moved / CATALOG), read_only=True)
    try:
        con.execute("SET file_search_path = ?", [str(moved)])
        views = _views(con)
        assert set(views) == set(manifest["tables"])
        assert not any(str(built_seeds) in sql or str(tmp_path) in sql for sql in views.values())
        for table, entry in manifest["tables"].items():
            assert con.execute(f'select count(*) from "{table}"').fetchone()[0] == entry["rows"], table
    finally:
        con.close()
    monkeypatch.chdir(moved)  # inside the folder, nothing to set
    con = duckdb.connect(CATALOG, read_only=True)
    try:
        assert con.execute("select count(*) from articles").fetchone()[0] == manifest["tables"]["articles"]["rows"]
    finally:
        con.close()


def _release(data: Path, n: int, tables=("articles",)):
    frames = {t: pd.DataFrame({"article_id": [f"a{i}" for i in range(n)]}) for t in tables}
    return write_release(frames, data, "code-x", f"fp-{n}", before_latest=functools.partial(write_catalog, data))


def _user_sql(data: Path, *statements: str) -> None:
    con = duckdb.connect(str(data / CATALOG))
    try:
        con.execute("SET file_search_path = ?", [str(data)])
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()


def test_catalog_keeps_users_objects_and_refuses_a_clash(built_seeds, tmp_path):
    data = _copy(built_seeds, tmp_path / "data")
    _user_sql(data, "create table my_notes as select 42 as x",
              "create view my_count as select count(*) n from articles")
    _release(data, 2)  # a release with one table: the other views go, the user's objects stay
    con = duckdb.connect(str(data / CATALOG), read_only=True)
    try:
        con.execute("SET file_search_path = ?", [str(data)])
        assert set(_views(con)) == {"articles", "my_count"}
        assert con.execute("select x from my_notes").fetchall() == [(42,)]
        assert con.execute("select n from my_count").fetchall() == [(2,)]
    finally:
        con.close()
    assert catalog_version(data) == latest_version(data)

    before = latest_version(data)
    _user_sql(data, "create table sentences as select 1 as mine")  # the name of a table the next release has
    with pytest.raises(CatalogError, match="your own table 'sentences'"):
        _release(data, 3, ("articles", "sentences"))
    assert latest_version(data) == before == catalog_version(data)  # refused before LATEST moved


def test_catalog_held_open_elsewhere_is_waited_for_then_refused_and_nothing_is_lost(built_seeds, tmp_path,
                                                                                     monkeypatch):
    data = _copy(built_seeds, tmp_path / "data")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_CATALOG, str(data / CATALOG)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(catalog, "LOCK_WAIT", 0.5)
        before = latest_version(data)
        with pytest.raises(CatalogError, match="open in another program"):
            _release(data, 4)
        assert latest_version(data) == before
    finally:
        holder.communicate("", timeout=60)  # the holder commits its own table and closes
    _release(data, 4)
    con = duckdb.connect(str(data / CATALOG), read_only=True)
    try:
        assert con.execute("select x from held").fetchall() == [(7,)]  # the other program's write is kept
    finally:
        con.close()
    assert catalog_version(data) == latest_version(data) != before


HOLD_CATALOG = r"""
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("create table held as select 7 as x")
print("holding", flush=True)
sys.stdin.read()
con.close()
"""


def test_release_folder_alone_is_queried_from_anywhere(built_seeds, tmp_path, monkeypatch, capsys):
    """An exported release, unzipped elsewhere, with no data folder around it."""
    version = latest_version(built_seeds)
    assert main(["export", "--zip", str(tmp_path / "r.zip"), "--data", str(built_seeds)]) == 0
    with zipfile.ZipFile(tmp_path / "r.zip") as zf:
        zf.extractall(tmp_path / "download")
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)
    assert main(["query", "select count(*) as n from articles", "--release", f"download/{version}",
                 "--data", str(tmp_path / "no-data-here"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 5}]
    assert not (tmp_path / "no-data-here").exists()


def test_catalog_of_an_earlier_version_with_absolute_paths_is_taken_over(built_seeds, tmp_path):
    data = _copy(built_seeds, tmp_path / "data")
    (data / CATALOG).unlink()
    release = latest_path(data)
    _user_sql(data, f"create view articles as select * from read_parquet('{release.resolve()}/articles.parquet')",
              "create table mine as select 1 as x")
    write_catalog(data, release)
    con = duckdb.connect(str(data / CATALOG), read_only=True)
    try:
        assert "releases/" in _views(con)["articles"] and str(data) not in _views(con)["articles"]
        assert con.execute("select x from mine").fetchall() == [(1,)]
    finally:
        con.close()
    assert catalog_version(data) == release.name


def test_build_refuses_at_once_when_a_users_table_has_a_released_name(built_seeds, tmp_path, seeds_dir, capsys):
    data = _copy(built_seeds, tmp_path / "data")
    _user_sql(data, "drop view articles", "create table articles as select 'mine' as note")
    assert main(["build", "--input", str(seeds_dir), "--data", str(data)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds your own table 'articles', the name of a released table" in err[0]
    con = duckdb.connect(str(data / CATALOG), read_only=True)
    try:
        assert con.execute("select note from articles").fetchall() == [("mine",)]
    finally:
        con.close()
