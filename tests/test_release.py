import json
from datetime import date, datetime, timezone

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.publish.release import NoRelease, clean_stale, latest_version, list_releases, write_release

NOW = datetime(2026, 1, 2, tzinfo=timezone.utc)


def tables(n=2):
    return {"articles": pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "published_date": [date(2022, 3, 3)] * n,
                                      "removed_lines": [["x"], []][:n] + [[]] * max(0, n - 2)}),
            "rejected_inputs": pd.DataFrame({"source_file": pd.Series([], dtype=object), "reason": pd.Series([], dtype=object)})}


def test_release_layout_and_manifest(tmp_path):
    info = write_release(tables(), tmp_path, "code-1", "fp", now=NOW)
    assert info.created and (tmp_path / "releases" / "LATEST").read_text().strip() == info.version
    manifest = json.loads((info.path / "manifest.json").read_text())
    assert manifest["tables"]["articles"]["rows"] == 2
    assert manifest["tables"]["articles"]["columns"]["published_date"] == "date32[day]"
    assert manifest["tables"]["articles"]["columns"]["removed_lines"] == "list<element: string>"  # as the Parquet file holds it
    assert str(tmp_path) not in json.dumps(manifest)
    assert pq.read_table(info.path / "articles.parquet").num_rows == 2


def test_unchanged_input_gives_no_new_version_and_identical_bytes(tmp_path):
    first = write_release(tables(), tmp_path, "code-1", "fp", now=NOW)
    before = (first.path / "articles.parquet").read_bytes()
    second = write_release(tables(), tmp_path, "code-1", "fp", now=datetime(2026, 2, 1, tzinfo=timezone.utc))
    assert not second.created and second.version == first.version
    assert (first.path / "articles.parquet").read_bytes() == before
    assert len(list_releases(tmp_path)) == 1


def test_changed_input_gives_new_version_and_keeps_old(tmp_path):
    first = write_release(tables(2), tmp_path, "code-1", "fp", now=NOW)
    old_bytes = (first.path / "articles.parquet").read_bytes()
    second = write_release(tables(3), tmp_path, "code-1", "fp2", now=NOW)
    assert second.created and second.version != first.version
    assert latest_version(tmp_path) == second.version
    assert (first.path / "articles.parquet").read_bytes() == old_bytes


def test_stale_temporary_folders_are_cleaned_and_never_listed(tmp_path):
    write_release(tables(), tmp_path, "code-1", "fp", now=NOW)
    stale = tmp_path / "releases" / ".tmp-deadbeef"
    stale.mkdir()
    (stale / "articles.parquet").write_bytes(b"half")
    assert len(list_releases(tmp_path)) == 1
    assert clean_stale(tmp_path) == [".tmp-deadbeef"] and not stale.exists()


def test_no_release_yet(tmp_path):
    with pytest.raises(NoRelease):
        latest_version(tmp_path)
