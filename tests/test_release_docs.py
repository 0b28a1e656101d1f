import hashlib
import json
import zipfile
from datetime import date, datetime, timezone

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.cli import main
from pipeline.publish.arrow import read_frame
from pipeline.publish.diff import diff_releases
from pipeline.publish.export import export_zip
from pipeline.publish.extras import EXTRA_FILES, release_extras
from pipeline.publish.release import latest_path, write_release
from pipeline.publish.timeline import write_timeline

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def release(built_seeds):
    return latest_path(built_seeds)


def _manifest(release):
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))


def _sections(markdown: str) -> dict[str, str]:
    parts = markdown.split("\n## ")[1:]
    return {part.split("\n", 1)[0].strip(): part for part in parts}


def test_codebook_lists_every_column_of_every_released_table(release):
    sections = _sections((release / "CODEBOOK.md").read_text(encoding="utf-8"))
    for table, entry in _manifest(release)["tables"].items():
        assert table in sections, table
        for column in pq.read_schema(release / entry["file"]).names:
            assert f"| `{column}` |" in sections[table], (table, column)
    assert "`person`, `organization`, `state`, `media`, `group`" in sections["actors"]  # vocabularies come from the schemas' isin checks


def test_datapackage_has_one_resource_per_parquet_file(release):
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "parley" and package["version"] == _manifest(release)["version"]
    assert package["licenses"] and package["title"]
    resources = {r["path"]: r for r in package["resources"]}
    assert set(resources) == {p.name for p in release.glob("*.parquet")}
    for path, resource in resources.items():
        data = (release / path).read_bytes()
        assert resource["format"] == "parquet" and resource["parquet"]["bytes"] == len(data)
        assert resource["parquet"]["sha256"] == hashlib.sha256(data).hexdigest()
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == pq.read_schema(release / path).names  # the reader checks the order
        assert {f["type"] for f in fields} <= {"string", "integer", "number", "boolean", "date", "datetime", "array", "any"}
    assert resources["articles.parquet"]["schema"]["primaryKey"] == ["article_id"]
    assert {"fields": ["article_id"], "reference": {"resource": "articles", "fields": ["article_id"]}} in \
        resources["sentences.parquet"]["schema"]["foreignKeys"]


def test_citation_card_and_checksums(release):
    manifest = _manifest(release)
    cff = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == manifest["version"]
    assert cff["authors"] == [{"name": "Parley contributors"}] and cff["license"]
    assert cff["date-released"] == manifest["created_at"][:10]

    card = (release / "README.md").read_text(encoding="utf-8")
    for table, entry in manifest["tables"].items():
        assert f"| `{table}` | {entry['rows']} |" in card
    assert "## Known limits" in card and "## Sources" in card

    lines = (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name
    assert set(listed) == {p.name for p in release.iterdir()} - {"SHA256SUMS", "manifest.json"}
    assert set(manifest["files"]) == set(EXTRA_FILES)
    assert (release / "timeline.png").read_bytes().startswith(PNG)


def test_export_zip_is_the_release_and_deterministic(release, tmp_path):
    first = export_zip(release, tmp_path / "a.zip")
    second = export_zip(release, tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        assert zf.namelist() == sorted(f"{release.name}/{p.name}" for p in release.iterdir())
        assert zf.read(f"{release.name}/articles.parquet") == (release / "articles.parquet").read_bytes()


def test_export_and_errors_on_the_command_line(built_seeds, tmp_path, capsys):
    assert main(["export", "--zip", str(tmp_path / "r.zip"), "--data", str(built_seeds)]) == 0
    assert zipfile.ZipFile(tmp_path / "r.zip").testzip() is None
    assert main(["export", "--zip", str(tmp_path / "x.zip"), "--version", "nope", "--data", str(built_seeds)]) == 1
    assert capsys.readouterr().err.strip() == f"parley: no release 'nope' in {built_seeds / 'releases'}"


def _write(tables, data_dir, day):
    now = datetime(2026, 1, day, tzinfo=timezone.utc)
    return write_release(tables, data_dir, "code-test", f"fp{day}", extras=release_extras(tables), now=now)


def test_diff_between_two_releases(release, tmp_path, capsys):
    old = {p.stem: read_frame(p) for p in release.glob("*.parquet")}
    gone = old["articles"]["article_id"].iloc[0]
    new = {name: df.copy() for name, df in old.items()}
    new["articles"] = old["articles"][old["articles"]["article_id"] != gone]
    for name, df in new.items():
        if name != "articles" and "article_id" in df.columns:
            new[name] = df[df["article_id"] != gone].reset_index(drop=True)
    kept = new["sentences"].index[0]
    new["sentences"].loc[kept, "text"] = new["sentences"].loc[kept, "text"] + " (edited)"
    new["rejected_inputs"] = pd.concat([old["rejected_inputs"], pd.DataFrame([{
        "source_file": "bad.bin", "reason": "binary", "bytes": 10, "detail": "binary file"}])], ignore_index=True)
    a, b = _write(old, tmp_path, 1), _write(new, tmp_path, 2)

    result = diff_releases(a.path, b.path)
    gone_sentences = int((old["sentences"]["article_id"] == gone).sum())
    assert result["articles"] == {**result["articles"], "key": "article_id", "added": 0, "removed": 1, "changed": 0}
    assert result["articles"]["examples"]["removed"] == [gone]
    assert (result["sentences"]["removed"], result["sentences"]["changed"]) == (gone_sentences, 1)
    assert result["sentences"]["examples"]["changed"] == [new["sentences"].loc[kept, "sentence_id"]]
    assert result["rejected_inputs"]["key"] is None and result["rejected_inputs"]["added"] == 1
    assert diff_releases(a.path, a.path)["sentences"]["changed"] == 0

    assert main(["diff", a.version, b.version, "--data", str(tmp_path)]) == 0
    assert "sentences changed:" in capsys.readouterr().out


def _facts_tables():
    facts = pd.DataFrame([
        {"fact_id": "f1", "fact_type": "position", "subject_actor_id": "russia", "round_id": None,
         "key": "RUS demand neutrality", "value": "demand", "values": ["demand"], "n_mentions": 3, "n_articles": 3,
         "n_publishers": 2, "n_originals": 2, "conflict": False, "article_ids": ["a1", "a2", "a3"],
         "first_published": date(2022, 3, 1)},
        {"fact_id": "f2", "fact_type": "claim", "subject_actor_id": "ukraine", "round_id": None, "key": "refugees",
         "value": "3000000 people", "values": ["3000000 people", "2000000 people"], "n_mentions": 2,
         "n_articles": 2, "n_publishers": 1, "n_originals": 1, "conflict": True, "article_ids": ["a1", "a2"],
         "first_published": None},
    ])
    actors = pd.DataFrame([
        {"actor_id": "russia", "name": "Russia", "actor_type": "state", "country": "RUS",
         "aliases": ["Kremlin", "Moscow"], "in_reference": True},
        {"actor_id": "ukraine", "name": "Ukraine", "actor_type": "state", "country": "UKR", "aliases": ["Kyiv"],
         "in_reference": True},
    ])
    articles = pd.DataFrame({"article_id": ["a1", "a2", "a3"], "source_file": ["1.txt", "2.txt", "3.txt"],
                             "publisher": ["A", "B", None], "published_date": [date(2022, 3, 1)] * 3,
                             "text": ["x"] * 3})
    return {"facts": facts, "actors": actors, "articles": articles}


def test_facts_command(tmp_path, capsys):
    without = _write({"articles": _facts_tables()["articles"]}, tmp_path / "without", 3)
    assert main(["facts", "--data", str(tmp_path / "without")]) == 1
    assert capsys.readouterr().err == f"parley: release {without.version} has no facts table\n"
    _write(_facts_tables(), tmp_path, 3)
    assert main(["facts", "--data", str(tmp_path), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("fact_type,subject,key") and out[1].startswith("position,Russia,")
    assert main(["facts", "--contested", "--data", str(tmp_path), "--format", "json"]) == 0
    assert [r["fact_id"] for r in json.loads(capsys.readouterr().out)] == ["f2"]
    assert main(["facts", "--actor", "kremlin", "--top", "5", "--data", str(tmp_path), "--format", "json"]) == 0
    assert [r["fact_id"] for r in json.loads(capsys.readouterr().out)] == ["f1"]


def test_release_docs_cope_with_tables_outside_the_schemas(tmp_path):
    info = _write(_facts_tables(), tmp_path, 4)
    codebook = (info.path / "CODEBOOK.md").read_text(encoding="utf-8")
    assert "| `conflict` |" in codebook  # described from the release even without a registered schema
    package = json.loads((info.path / "datapackage.json").read_text(encoding="utf-8"))
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    assert {"fields": ["subject_actor_id"], "reference": {"resource": "actors", "fields": ["actor_id"]}} in \
        facts["schema"]["foreignKeys"]


def test_timeline_with_and_without_rounds(tmp_path):
    rounds = pd.DataFrame([
        {"round_id": "r1", "date_start": date(2022, 2, 28), "city": "Gomel", "n_articles": 4,
         "outcome": "next round agreed"},
        {"round_id": "r2", "date_start": date(2022, 3, 29), "city": "Istanbul", "n_articles": 9, "outcome": None},
        {"round_id": "r3", "date_start": None, "city": None, "n_articles": 1, "outcome": None}])
    drawn = write_timeline(rounds, tmp_path / "t.png").read_bytes()
    none = write_timeline(None, tmp_path / "n.png").read_bytes()
    undated = write_timeline(rounds.iloc[2:], tmp_path / "u.png").read_bytes()
    assert drawn.startswith(PNG) and none.startswith(PNG) and undated.startswith(PNG)
    assert len({drawn, none, undated}) == 3
    assert write_timeline(rounds, tmp_path / "t2.png").read_bytes() == drawn  # same rounds, same bytes


def test_timeline_of_many_rounds_draws_the_best_supported_in_a_bounded_image(tmp_path, monkeypatch):
    from pipeline.publish import timeline
    monkeypatch.setattr(timeline, "MAX_ROUNDS", 3)
    days = pd.date_range("2022-01-01", periods=40, freq="7D").date
    rounds = pd.DataFrame({"round_id": [f"r{i}" for i in range(40)], "date_start": days, "city": "Geneva",
                           "n_articles": [1] * 37 + [5, 6, 7], "outcome": None})
    drawn = []
    plt = timeline._pyplot()  # matplotlib.pyplot, imported by the timeline only when it draws
    real = plt.subplots
    monkeypatch.setattr(plt, "subplots", lambda **kw: drawn.append(kw["figsize"]) or real(**kw))
    assert write_timeline(rounds, tmp_path / "t.png").read_bytes().startswith(PNG)
    assert drawn == [(8, 6)]  # three rounds drawn, not forty
