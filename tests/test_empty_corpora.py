"""Every folder builds (issue 14 items 1 and 2): empty, off-topic, non-English, all-bad and random small mixes of them give a valid release
with every table present (its schema, 0 rows allowed), every reference resolved, every input accounted for, and a
line saying what was found.

The texts are made up for these tests. Builds run in this process (the model and Dagster load once) and share one
data folder, as a user's successive builds do.
"""
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import pyarrow.parquet as pq

from pipeline.cli import main
from pipeline.defs.resolve.rounds import _linked
from pipeline.nlp.cache import ExtractionCache
from pipeline.nlp.extract import COLUMNS
from pipeline.publish.arrow import TableFile
from pipeline.publish.card import found_line
from pipeline.publish.integrity import cross_table_failures, schema_failures
from schemas import TABLES

ON_TOPIC = ("Delegations of the government and the Northern Alliance met in Nairobi on 12 March 2024 for a second "
            "round of peace talks mediated by the African Union.\nThe chief government negotiator said the two sides "
            "had agreed to exchange 300 prisoners. \"We have made progress,\" he told reporters.\n"
            "The alliance demanded the withdrawal of government troops from the border towns. The next round is "
            "planned for April in Addis Ababa.")
OFF_TOPIC = ("The village bakery reopened on Saturday after a long renovation.\nCustomers queued for fresh rye bread "
             "and apple cake, and the owner said the new oven bakes twice as many loaves an hour.\nThe weather "
             "stayed dry and warm all weekend.")
FRENCH = ("Les délégations du gouvernement et de l'alliance du Nord se sont réunies lundi à Nairobi pour un "
          "deuxième cycle de négociations de paix.\nLe négociateur en chef a déclaré que les deux parties avaient "
          "accepté d'échanger trois cents prisonniers et de se retrouver en avril.")
RUSSIAN = ("Делегации правительства и Северного альянса встретились в понедельник в Найроби на второй раунд "
           "мирных переговоров.\nГлавный переговорщик заявил, что стороны договорились обменять триста пленных "
           "и встретиться снова в апреле.")

# kind -> (file suffix, bytes, what becomes of it: an article in this language, or a rejected reason)
FILES = {
    "on_topic": (".txt", ON_TOPIC.encode(), "en"),
    "off_topic": (".txt", OFF_TOPIC.encode(), "en"),
    "french": (".txt", FRENCH.encode(), "fr"),
    "russian_json": (".json", json.dumps({"text": RUSSIAN, "title": "Переговоры"}, ensure_ascii=False).encode(), "ru"),
    "empty": (".txt", b"", "empty"),
    "binary": (".txt", bytes(range(256)) * 8, "binary"),
    "bad_json": (".json", b'{\n  "text": "Talks resumed",,\n  "title": "x"\n}\n', "malformed_json"),
    "unsupported": (".docx", b"Minutes of the meeting, saved as a word-processor file.", "unsupported_type"),
}
TABLES_WITH_SPANS = ("sentences", "dates", "claims", "actor_mentions", "roles", "quotes")
SETTINGS = settings(max_examples=3, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("shared-data")


def write_corpus(folder: Path, kinds: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, kind in enumerate(kinds):
        suffix, data, _ = FILES[kind]
        (folder / f"{i:02d}-{kind}{suffix}").write_bytes(data)
    return folder


def build(corpus: Path, data: Path, capsys) -> tuple[Path, str]:
    """Build; the release folder and what the CLI printed."""
    capsys.readouterr()
    assert main(["build", "--input", str(corpus), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    return data / "releases" / (data / "releases" / "LATEST").read_text().strip(), out


def check_release(release: Path, kinds: list[str]) -> dict[str, pd.DataFrame]:
    """Every table present and valid against its schema, every reference and span resolved, every input file
    an article (in the language expected) or a rejected row (with the reason expected)."""
    manifest = json.loads((release / "manifest.json").read_text())
    assert set(manifest["tables"]) == set(TABLES)
    files = {t: TableFile(release / manifest["tables"][t]["file"]) for t in TABLES}
    for table, file in files.items():
        failures = schema_failures(table, file)
        assert failures.empty, (table, failures.head())
    assert cross_table_failures(files) == {}
    for table in ("sentences", "quotes", "claims", "positions"):  # typed by the schema even with 0 rows
        assert pd.read_parquet(files[table].path).dtypes["start"] == "int64"
    articles = pd.read_parquet(files["articles"].path)
    rejected = pd.read_parquet(files["rejected_inputs"].path)
    sentences = pd.read_parquet(files["sentences"].path)
    for i, kind in enumerate(kinds):
        name = f"{i:02d}-{kind}{FILES[kind][0]}"
        expected = FILES[kind][2]
        if len(expected) == 2:
            row = articles[articles["source_file"] == name]
            assert len(row) == 1 and row["language"].iloc[0] == expected, (name, row)
            assert row["extracted"].iloc[0] == (expected == "en")
            has_sentences = sentences["article_id"].isin(row["article_id"]).any()
            assert has_sentences == (expected == "en"), name  # no extraction at all for other languages
        else:
            assert rejected.loc[rejected["source_file"] == name, "reason"].tolist() == [expected], (name, rejected)
    if "on_topic" not in kinds:  # an off-topic, foreign or bad corpus has no rounds (and crashed before)
        assert pd.read_parquet(files["rounds"].path)["n_articles"].fillna(0).eq(0).all()
    return {"articles": articles, "rejected": rejected}


@pytest.mark.slow
@SETTINGS
@given(kinds=st.lists(st.sampled_from(sorted(FILES)), max_size=5))
@example(kinds=[])
@example(kinds=["off_topic"])
@example(kinds=["empty", "binary", "bad_json", "unsupported"])
@example(kinds=["french", "russian_json", "on_topic"])
def test_any_small_corpus_builds_a_valid_release(kinds, data_dir, tmp_path_factory, capsys):
    corpus = write_corpus(tmp_path_factory.mktemp("corpus"), kinds)
    release, out = build(corpus, data_dir, capsys)
    tables = check_release(release, kinds)
    card = (release / "README.md").read_text()
    line = next(line for line in out.splitlines() if line.startswith("Found "))
    assert line in card  # the CLI and the card say the same
    if not kinds:
        assert line == "Found no input files in the input folder. Every table is present with 0 rows."
    elif tables["articles"].empty:
        assert line.startswith("Found no usable article: ")
    else:
        assert line.startswith(f"Found {len(tables['articles'])} article(s)")
    if "on_topic" not in kinds and not tables["articles"].empty:
        assert "no negotiation round found in them" in line
    others = sum(FILES[k][2] not in ("en",) and len(FILES[k][2]) == 2 for k in kinds)
    assert (f"{others} not in English" in line) == bool(others)




# Fast pins of the two crashes, without a build.

def test_extraction_cache_compacts_an_empty_corpus_into_typed_empty_tables(tmp_path):
    """An empty folder crashed in `extractions`: no shard had created the cache folder to compact into."""
    paths = ExtractionCache(tmp_path / "extract", version="test").compact(COLUMNS, [])
    assert set(paths) == set(COLUMNS) and all(p.is_file() for p in paths.values())
    for table in TABLES_WITH_SPANS:
        schema = pq.read_schema(paths[table])
        assert schema.names == COLUMNS[table] and schema.field("start").type == "int64", table


def test_linking_no_candidates_names_round_id_once(tmp_path):
    """An off-topic corpus (no positions, no outcomes) doubled the round_id column in round resolution."""
    candidates = ExtractionCache(tmp_path / "extract", version="test").compact(COLUMNS, [])
    keys = pd.DataFrame(columns=["article_id", "sentence_id", "start", "tense", "round_id"])
    for kind, table in (("position_candidates", "positions"), ("outcome_candidates", "outcomes")):
        linked = _linked(TableFile(candidates[kind]), keys, table, tmp_path / f"{table}.parquet")
        names = pq.read_schema(linked.path).names
        assert names.count("round_id") == 1 and pq.read_metadata(linked.path).num_rows == 0


def test_found_line_says_what_the_folder_held():
    none = pd.DataFrame(columns=["source_file", "language", "extracted", "encoding_repair"])
    no_rejects = pd.DataFrame(columns=["reason"])
    assert found_line(none, no_rejects) == "Found no input files in the input folder. Every table is present with 0 rows."
    bad = pd.DataFrame({"reason": ["binary", "empty", "binary"]})
    assert found_line(none, bad) == ("Found no usable article: 3 input(s) rejected (binary 2, empty 1, see "
                                     "`rejected_inputs`). Every table is present with 0 rows.")
    articles = pd.DataFrame({"source_file": ["a.txt", "b.txt", "c.json", "c.json"],
                             "language": ["en", "fr", "ru", "und"], "extracted": [True, False, False, True],
                             "encoding_repair": [None, None, "mojibake repaired (ftfy.fix_encoding)", None]})
    assert found_line(articles, bad.head(1)) == (
        "Found 4 article(s) in 3 file(s); 2 not in English (fr 1, ru 1): kept, not extracted; 1 repaired in "
        "decoding (see `articles.encoding_repair`); 1 input(s) rejected (binary 1, see `rejected_inputs`).")
    off_topic = articles.head(1)
    assert found_line(off_topic, no_rejects, rounds=0) == "Found 1 article(s) in 1 file(s); no negotiation round found in them."
    assert found_line(off_topic, no_rejects, rounds=2) == "Found 1 article(s) in 1 file(s)."


@pytest.mark.slow
def test_data_folder_inside_the_input_is_not_input_and_a_rebuild_is_unchanged(tmp_path, capsys):
    """Issue 14 item 8: `--data` inside `--input` gave rejected rows for every release file and a new version on
    every run. Now it is one `data_folder` row, said in the found-line, and the second build changes nothing."""
    corpus = write_corpus(tmp_path / "corpus", ["on_topic", "off_topic"])
    first, _ = build(corpus, corpus / "data", capsys)
    second, out = build(corpus, corpus / "data", capsys)
    assert second == first
    tables = check_release(second, ["on_topic", "off_topic"])
    assert tables["rejected"][["source_file", "reason"]].values.tolist() == [["data", "data_folder"]]
    assert "1 input(s) rejected (data_folder 1, see `rejected_inputs`)" in out
