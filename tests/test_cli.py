import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent


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


# --- bounded, streamed, interruptible queries ---------------------------------------------------------------------

FOREVER = "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"


def test_query_timeout_stops_a_runaway_query_with_one_line(built_seeds, capsys):
    started = time.monotonic()
    assert main(["query", FOREVER, "--data", str(built_seeds), "--timeout", "1"]) == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["parley: the query ran longer than 1 s and was stopped (--timeout SECONDS to allow more)"]


def test_time_spent_waiting_for_a_slow_reader_does_not_count(built_seeds):
    """Output read through a pager: the query waits for its reader, and only DuckDB's working time counts."""
    from pipeline.publish.query import Limits, stream_query
    batches = stream_query(built_seeds, "select range from range(100000)", Limits(timeout=1), batch_rows=1000)
    assert next(batches) == ["range"]
    rows = len(next(batches))
    time.sleep(2)  # the reader stops for twice the timeout; the query is then waiting, not working
    rows += sum(len(batch) for batch in batches)
    assert rows == 100000


def test_query_memory_limit_and_threads(built_seeds, capsys):
    assert main(["query", "select current_setting('memory_limit') m, current_setting('threads') t",
                 "--data", str(built_seeds), "--memory-limit", "300MB", "--threads", "1", "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["t"] == 1 and row["m"].endswith("MiB") and float(row["m"].split()[0]) < 300
    assert main(["query", "select list(range) from range(100000000)", "--data", str(built_seeds),
                 "--memory-limit", "100MB"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("parley: Out of Memory Error")


def test_query_streams_and_caps_rows(built_seeds, capsys, monkeypatch):
    from pipeline.publish import query
    fetched = []
    real = query.stream_query

    def counting(*args, **kwargs):
        for batch in real(*args, **kwargs, batch_rows=100):
            fetched.append(len(batch))
            yield batch

    monkeypatch.setattr(query, "stream_query", counting)
    huge = "select range as n from range(100000000)"
    assert main(["query", huge, "--data", str(built_seeds), "--format", "csv", "--limit", "250"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "n" and len(out) == 251 and out[-1] == "249"
    assert sum(fetched[1:]) < 1000  # batches as they were printed: the 100 million rows were never fetched
    fetched.clear()
    assert main(["query", huge, "--data", str(built_seeds)]) == 0  # the table format shows its first rows only
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2 + 1000
    assert captured.err.startswith("parley: showing the first 1000 rows") and sum(fetched[1:]) < 2000
    assert main(["query", huge, "--data", str(built_seeds), "--format", "json", "--limit", "3"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_ctrl_c_interrupts_the_query_with_one_line_and_code_130(built_seeds, capsys):
    """A real SIGINT to the main thread once the query runs (its worker thread exists): no sleep decides."""
    main_thread = threading.get_ident()

    def interrupt_when_running():
        while not any(t.name == "parley-query" for t in threading.enumerate()):
            time.sleep(0.01)
        signal.pthread_kill(main_thread, signal.SIGINT)

    sender = threading.Thread(target=interrupt_when_running, daemon=True)
    sender.start()
    started = time.monotonic()
    assert main(["query", FOREVER, "--data", str(built_seeds), "--timeout", "120"]) == 130
    sender.join()
    assert time.monotonic() - started < 60
    assert capsys.readouterr().err.strip().splitlines() == ["parley: query interrupted"]
    assert not any(t.name == "parley-query" for t in threading.enumerate())  # the query was stopped, not left


def test_query_limits_are_checked(built_seeds, capsys):
    for flag, value in (("--limit", "-1"), ("--timeout", "-2"), ("--threads", "0"), ("--memory-limit", "lots")):
        assert main(["query", "select 1", "--data", str(built_seeds), flag, value]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 4 and all(line.startswith("parley: --") for line in err[:3])
    assert err[3].startswith("parley: bad limits: ")


# --- one clear line instead of a traceback; nothing a terminal or a spreadsheet would run -------------------------

def test_export_and_facts_errors_are_one_line(built_seeds, tmp_path, capsys):
    folder = tmp_path / "a-folder.zip"
    folder.mkdir()
    assert main(["export", "--zip", str(folder), "--data", str(built_seeds)]) == 1
    assert main(["export", "--zip", "/proc/x.zip", "--data", str(built_seeds)]) == 1
    assert main(["facts", "--top", "-5", "--data", str(built_seeds)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"parley: --zip {folder} is a folder; give the name of the zip file to write"
    assert err[1].startswith("parley: cannot write /proc/x.zip: ")
    assert err[2] == "parley: --top must be a whole number of at least 1, not -5"
    assert len(err) == 3 and folder.is_dir() and not any(folder.iterdir())


HOSTILE = ("select chr(27) || ']0;owned' || chr(7) || chr(27) || '[2J' as file, 'x' || chr(155) || '31m' as url, "
           "'Pub' || chr(8238) || 'lishers' as publisher, '=HYPERLINK(\"http://evil\",\"click\")' as f1, "
           "'+1+1' as f2, '-2+3' as f3, '@SUM(A1)' as f4, -5 as n, 'ok' as plain")


def test_printed_rows_carry_no_terminal_control_characters(built_seeds, capsys):
    for fmt in ("table", "csv", "json"):
        assert main(["query", HOSTILE, "--data", str(built_seeds), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert not any(ch in out for ch in ("\x1b", "\x07", "\x9b", "\u202e")), fmt
        if fmt == "json":  # the same data once parsed: the characters are escaped, not removed
            row = json.loads(out)[0]
            assert row["file"].startswith("\x1b]0;") and row["url"] == "x\x9b31m"
        else:
            assert "\\x1b]0;owned\\x07" in out and "\\x9b31m" in out and "\\u202e" in out


def test_csv_cells_cannot_run_as_spreadsheet_formulas(built_seeds, capsys):
    assert main(["query", HOSTILE, "--data", str(built_seeds), "--format", "csv"]) == 0
    header, row = csv.reader(io.StringIO(capsys.readouterr().out))
    cells = dict(zip(header, row))
    assert cells["f1"] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert (cells["f2"], cells["f3"], cells["f4"]) == ("'+1+1", "'-2+3", "'@SUM(A1)")
    assert cells["n"] == "-5" and cells["plain"] == "ok"  # numbers and ordinary text untouched


def test_tests_run_in_a_temporary_dagster_home(built_seeds):
    storage = Path(os.environ["PARLEY_DAGSTER_STORAGE"])
    assert ROOT not in storage.parents and ROOT not in Path(os.environ["DAGSTER_HOME"]).parents
    assert any(storage.rglob("*")), "the session's build should have recorded its run here"


def test_output_cut_short_by_its_reader_ends_quietly(built_seeds):
    """`parley query ... | head -1`: the reader closes the pipe after one line; no traceback, the query stops."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "query", "select range from range(100000000)",
                             "--data", str(built_seeds), "--format", "csv"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "range\n"
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141 and err == ""


QUERY_THREADS = """
import os, sys, threading
import pipeline.cli, pipeline.cli_output, pipeline.publish.catalog, pipeline.publish.lock, pipeline.publish.query
native = lambda: sorted(os.listdir("/proc/self/task"))
before = native()
code = pipeline.cli.main(["query", "select count(*) from articles", "--data", sys.argv[1], "--timeout", "30"])
print(code, len(before), len(native()), [t.name for t in threading.enumerate()], file=sys.stderr)
"""


def test_a_query_leaves_no_thread_running_at_exit(built_seeds):
    """Every thread a query starts has ended when the command returns: its worker and timeout watchdog are joined,
    and DuckDB's threads end with connections closed by parley (the SQL is checked on one of its own, not on
    DuckDB's process-wide default connection, which lives into the interpreter's teardown). A native thread still
    running there can abort a process whose work is done ("terminate called without an active exception")."""
    if not Path("/proc/self/task").is_dir():
        import pytest
        pytest.skip("counts threads through Linux's /proc")
    proc = subprocess.run([sys.executable, "-c", QUERY_THREADS, str(built_seeds)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    code, before, after, python_threads = proc.stderr.strip().splitlines()[-1].split(" ", 3)
    assert code == "0" and after == before and python_threads == "['MainThread']", proc.stderr


def test_the_build_summary_reads_no_parquet_through_a_python_file(built_seeds, monkeypatch):
    """The build's last reads (its summary line) are not pd.read_parquet: that hands Arrow's scanner a Python file
    whose last reference an Arrow thread may drop while the interpreter finalises, aborting a finished build."""
    import pandas as pd

    from pipeline.publish.card import found_in_release
    from pipeline.publish.release import latest_path

    def refused(*args, **kwargs):
        raise AssertionError("pd.read_parquet at the end of a build")
    monkeypatch.setattr(pd, "read_parquet", refused)
    assert found_in_release(latest_path(built_seeds)).startswith("Found ")
