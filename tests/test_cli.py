import json

from pipeline.cli import main


def test_build_then_query_count(built_seeds, capsys):
    assert main(["query", "select count(*) as n from articles", "--data", str(built_seeds), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 5}]


def test_query_formats(built_seeds, capsys):
    assert main(["query", "select source_file from articles order by 1 limit 2", "--data", str(built_seeds),
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "source_file"
    assert main(["query", "select 1 as one", "--data", str(built_seeds)]) == 0
    assert "one" in capsys.readouterr().out


def test_second_build_gives_no_new_version(built_seeds, seeds_dir, capsys):
    before = sorted(p.name for p in (built_seeds / "releases").iterdir())
    assert main(["build", "--input", str(seeds_dir), "--data", str(built_seeds)]) == 0
    assert sorted(p.name for p in (built_seeds / "releases").iterdir()) == before


def test_releases_lists_versions(built_seeds, capsys):
    assert main(["releases", "--data", str(built_seeds)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("* ") and "articles=5" in out


def test_errors_are_one_clear_line(tmp_path, capsys):
    assert main(["query", "select 1", "--data", str(tmp_path)]) == 1
    assert main(["releases", "--data", str(tmp_path)]) == 1
    assert main(["build", "--input", str(tmp_path / "missing"), "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("parley: ") for line in err)


def test_bad_and_writing_sql_refused(built_seeds, capsys):
    for sql in ("selec nothing", "create table x as select 1", "select * from read_csv('/etc/passwd')",
                "attach 'x.db'", "install httpfs", "select 1; select 2", "copy articles to 'out.csv'"):
        assert main(["query", sql, "--data", str(built_seeds)]) == 1, sql
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 7
