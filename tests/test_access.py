"""Read-only access: `parley query` runs one SELECT over the release's files and nothing else; the UI listens on
the loopback interface only; a release carries no path of the build machine and no secret from its environment."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.publish.query import QueryRefused, run_query
from pipeline.publish.release import latest_path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cr3t-t0ken-6f1d22dc7abf05"


@pytest.fixture(scope="module")
def build(tmp_path_factory, seeds_dir):
    """A build run with a secret in its environment and data under a distinctive folder; (data folder, env)."""
    base = tmp_path_factory.mktemp("machine-specific-folder")
    data = base / "data"
    env = {**os.environ, "PARLEY_API_TOKEN": SECRET, "AWS_SECRET_ACCESS_KEY": SECRET + "-aws",
           "PARLEY_DAGSTER_STORAGE": str(base / "dagster")}
    command = [sys.executable, "-m", "pipeline.cli", "build", "--input", str(seeds_dir), "--data", str(data)]
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return data, env


@pytest.fixture(scope="module")
def outside(tmp_path_factory, build):
    """A readable file outside the release, in the data folder itself, that no query may reach."""
    data, _ = build
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


def test_release_holds_no_machine_path_or_secret(build):
    data, env = build
    release = latest_path(data)
    needles = {str(data), str(data.parent), str(ROOT), SECRET, env["PARLEY_DAGSTER_STORAGE"]}
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
