"""Issue 16.5: `parley --version`, help text for every argument, the --data default as it behaves, a readable diff."""
import argparse
from datetime import datetime, timezone

import pandas as pd
import pytest

from pipeline.cli import main, parser
from pipeline.code_version import code_version
from pipeline.publish.arrow import read_frame
from pipeline.publish.extras import release_extras
from pipeline.publish.release import latest_path, write_release


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"parley {code_version()}\n"


def _subcommands(ap: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_argument_of_every_command_has_help():
    ap = parser()
    commands = _subcommands(ap)
    assert {"build", "query", "releases", "export", "diff", "facts"} <= set(commands)
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
    query = {a.dest: a for a in commands["query"]._actions}
    assert "SELECT" in query["sql"].help


def test_data_default_is_described_as_it_behaves(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapping inside the path
    with pytest.raises(SystemExit):
        main(["releases", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "$PARLEY_DATA_DIR" in text and str(tmp_path) in text and "wherever you run" in text


def test_diff_shows_rows_by_their_key_columns(built_seeds, tmp_path, capsys):
    old = {p.stem: read_frame(p) for p in latest_path(built_seeds).glob("*.parquet")}
    new = {name: df.copy() for name, df in old.items()}
    new["sentences"].loc[0, "text"] += " (edited)"
    new["rejected_inputs"] = pd.DataFrame([{"source_file": 'odd "name".bin', "reason": "binary", "bytes": 10,
                                            "detail": "binary file"}])
    stamp = lambda day: datetime(2026, 1, day, tzinfo=timezone.utc)  # noqa: E731
    a = write_release(old, tmp_path, "code", "fp1", extras=release_extras(old), now=stamp(1))
    b = write_release(new, tmp_path, "code", "fp2", extras=release_extras(new), now=stamp(2))
    assert main(["diff", a.version, b.version, "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    sentence = new["sentences"].loc[0, "sentence_id"]
    assert f"sentences changed: sentence_id={sentence} (changed: text)" in out
    assert 'rejected_inputs added: source_file=odd "name".bin, reason=binary' in out
    assert '\\"' not in out  # no escaped JSON
