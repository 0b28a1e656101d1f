"""An article whose extraction fails is one extraction_errors row; the build goes on and releases the rest."""
from __future__ import annotations

import json

import pandas as pd

from pipeline.nlp import extract
from pipeline.nlp.parse import parse_article
from pipeline.publish.arrow import read_frame
from pipeline.publish.integrity import cross_table_failures, schema_failures
from pipeline.publish.release import latest_path
from schemas import TABLES

GOOD = ("Negotiators from both sides met in Geneva on Monday, the envoy said.\n\n"
        "\"We made progress,\" the envoy told reporters on 16 May 2024.")
BAD = ("Delegations met in Oslo on Tuesday to discuss a ceasefire.\n\n"
       "The mediator said a second round would follow in late May.")
PER_ARTICLE = ("sentences", "dates", "claims", "actor_mentions", "roles", "quotes", "round_mentions", "positions",
               "outcomes")


def _failing_dates(original):
    def extract_dates_or_fail(parsed):
        if "Oslo" in parsed.text:
            raise KeyError("a made-up extractor bug")
        return original(parsed)
    return extract_dates_or_fail


def test_a_failing_extractor_gives_one_error_row_and_nothing_else_for_that_article(monkeypatch):
    monkeypatch.setattr(extract, "extract_dates", _failing_dates(extract.extract_dates))
    rows = extract.extract_article(parse_article("art-bad", BAD, None))
    assert list(rows) == ["extraction_errors"]
    [error] = rows["extraction_errors"]
    assert error["article_id"] == "art-bad" and error["error_type"] == "KeyError"
    assert error["stage"] == "test_extraction_errors.extract_dates_or_fail" and "made-up" in error["message"]
    good = extract.extract_article(parse_article("art-good", GOOD, None))
    assert good["sentences"] and good["dates"] and "extraction_errors" not in good


def test_no_extractor_error_no_error_rows():
    tables = extract.extract_corpus(pd.DataFrame({"article_id": ["a"], "text": [GOOD], "published_date": [None]}))
    assert tables["extraction_errors"].empty and list(tables["extraction_errors"].columns) == [
        "article_id", "stage", "error_type", "message"]


def test_build_goes_on_and_releases_a_valid_dataset(monkeypatch, tmp_path):
    from pipeline.cli import main
    monkeypatch.setattr(extract, "extract_dates", _failing_dates(extract.extract_dates))
    folder = tmp_path / "input"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "bad.txt").write_text(BAD, encoding="utf-8")
    assert main(["build", "--input", str(folder), "--data", str(tmp_path / "data")]) == 0
    release = latest_path(tmp_path / "data")
    tables = {p.stem: read_frame(p) for p in release.glob("*.parquet")}
    articles = tables["articles"].set_index("source_file")["article_id"]
    [error] = tables["extraction_errors"].to_dict("records")
    assert error["article_id"] == articles["bad.txt"] and error["error_type"] == "KeyError"
    for table in PER_ARTICLE:  # the failed article has no rows anywhere; the other one is extracted
        assert articles["bad.txt"] not in set(tables[table]["article_id"]), table
    assert articles["good.txt"] in set(tables["sentences"]["article_id"])
    assert len(tables["articles"]) == 2 and cross_table_failures(tables) == {}
    for table in TABLES:
        assert schema_failures(table, tables[table]).empty, table
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["extraction_errors"]["rows"] == 1
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "1 article failed extraction (see `extraction_errors`)" in card


def test_round_mentions_no_longer_swallow_an_error_per_sentence(monkeypatch):
    """A bug in a sentence's rules used to vanish as a missing row; now the article is an extraction_errors row."""
    from pipeline.nlp import round_mentions

    def broken_row(*args, **kwargs):
        raise TypeError("a made-up rule bug")
    monkeypatch.setattr(round_mentions, "_row", broken_row)
    rows = extract.extract_article(parse_article("art-1", GOOD, None))
    assert rows == {"extraction_errors": [{"article_id": "art-1", "stage": "round_mentions.extract_round_mentions",
                                           "error_type": "TypeError", "message": "a made-up rule bug"}]}
