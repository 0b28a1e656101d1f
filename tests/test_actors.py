"""The actors table: reference actors plus discovered ones, deterministic and schema-valid."""
from __future__ import annotations

import pandas as pd

from pipeline.nlp.actor_dictionary import load_actor_dictionary
from pipeline.nlp.mentions import extract_mentions
from pipeline.nlp.parse import parse_article
from pipeline.resolve.actors import build_actors
from schemas.actors import ActorsSchema

ARTICLES = {
    "a1": "Egyptian Foreign Minister Sameh Shoukry met Mr Zelensky. Shoukry said Egyptian officials agreed.",
    "a2": "Sameh Shoukry spoke to Volodymyr Zelenskyy and Ivan Timofeev in Cairo.",
}


def corpus_mentions():
    rows = []
    for article_id, text in ARTICLES.items():
        rows += extract_mentions(parse_article(article_id, text))
    return pd.DataFrame(rows)


def test_reference_and_discovered_actors():
    mentions = corpus_mentions()
    actors = ActorsSchema.validate(build_actors(mentions), lazy=True)
    d = load_actor_dictionary()
    assert set(d.actors) <= set(actors["actor_id"])
    assert list(actors["actor_id"]) == sorted(actors["actor_id"])
    assert actors["actor_id"].is_unique
    assert set(actors.columns) >= {"actor_id", "name", "actor_type", "country", "aliases", "in_reference"}
    row = actors.set_index("actor_id")
    assert row.loc["person-s-shkr", "name"] == "Sameh Shoukry"
    assert row.loc["person-s-shkr", "actor_type"] == "person"
    assert not row.loc["person-s-shkr", "in_reference"]
    assert row.loc["person-s-shkr", "aliases"] == ["Shoukry"]
    assert not row.loc["group-egy", "in_reference"] and row.loc["group-egy", "country"] == "EGY"
    assert row.loc["volodymyr-zelensky", "in_reference"]
    assert {"Mr Zelensky", "Volodymyr Zelenskyy", "Zelenskiy"} <= set(row.loc["volodymyr-zelensky", "aliases"])
    assert "Volodymyr Zelensky" not in row.loc["volodymyr-zelensky", "aliases"]
    discovered = set(actors.loc[~actors["in_reference"], "actor_id"])
    assert discovered == {"person-s-shkr", "person-i-tmfv", "group-egy"}


def test_deterministic_whatever_the_mention_order():
    mentions = corpus_mentions()
    first = build_actors(mentions)
    shuffled = build_actors(mentions.sample(frac=1, random_state=7).reset_index(drop=True))
    pd.testing.assert_frame_equal(first, shuffled)


def test_without_mentions_only_the_reference():
    empty = pd.DataFrame(columns=["article_id", "start", "end", "surface", "actor_id", "name",
                                  "actor_type", "country", "in_reference"])
    actors = ActorsSchema.validate(build_actors(empty), lazy=True)
    assert len(actors) == len(load_actor_dictionary().actors)
    assert actors["in_reference"].all() and actors["source"].notna().all()


def test_discovered_name_is_the_most_frequent_spelling():
    mentions = pd.DataFrame([
        {"actor_id": "person-i-tmfv", "surface": s, "name": n, "actor_type": "person",
         "country": None, "in_reference": False}
        for s, n in [("Ivan Timofeev", "Ivan Timofeev"), ("Timofeev", "Ivan Timofeev"),
                     ("Ivan Timofeyev", "Ivan Timofeyev")]])
    row = build_actors(mentions).set_index("actor_id").loc["person-i-tmfv"]
    assert row["name"] == "Ivan Timofeev"
    assert row["aliases"] == ["Ivan Timofeyev", "Timofeev"]


def test_mentions_in_chunks_give_the_table_of_the_whole(tmp_path):
    """The step reads actor_mentions in chunks; counts carried between them give the same names and aliases."""
    from pipeline.publish.arrow import article_chunks, to_arrow
    import pyarrow.parquet as pq
    mentions = pd.concat([corpus_mentions()] * 3, ignore_index=True)
    path = tmp_path / "actor_mentions.parquet"
    pq.write_table(to_arrow(mentions), path)
    pd.testing.assert_frame_equal(build_actors(article_chunks(path, rows=2)), build_actors(mentions))
