"""Near-duplicate articles: syndicated copies caught, distinct reports of one event kept apart."""
from __future__ import annotations

from datetime import date

import pandas as pd

from pipeline.resolve.near_duplicates import find_near_duplicates

WIRE = "\n".join([
    "Russian and Ukrainian delegations met in Istanbul on Tuesday for the first face-to-face talks in weeks.",
    "Vladimir Medinsky, who leads the Russian delegation, said the meeting had been constructive and that "
    "Moscow would scale back military activity near Kyiv and Chernihiv.",
    "The Ukrainian side proposed a neutral status in exchange for international security guarantees "
    "from a group of countries including Turkey, the United States and Britain.",
    "Turkish President Recep Tayyip Erdogan opened the session at the Dolmabahce palace, urging both "
    "sides to reach a ceasefire as soon as possible.",
    "Negotiators agreed to continue the talks, and officials said a meeting between the two presidents "
    "could be possible once a draft treaty was ready.",
])
ADDED = ("Analysts in Kyiv cautioned that similar promises had been made before and that the situation "
         "on the ground would show whether the pledge was sincere.")
OTHER = "\n".join([
    "Talks in Istanbul ended with cautious optimism, according to diplomats briefed on the discussions.",
    "Kyiv put forward a detailed plan under which it would stay out of military alliances if partner "
    "states committed to defend it, a senior adviser told reporters.",
    "Moscow's negotiator described the day as constructive and promised fewer attacks around the capital, "
    "though Western officials said they would judge Russia by its actions.",
    "The host, Turkey's president, welcomed the delegations and called for a ceasefire.",
])


def corpus(rows: list[tuple[str, str, date, str | None]]) -> pd.DataFrame:
    return pd.DataFrame([{"article_id": a, "text": t, "published_date": d, "duplicate_of": dup, "title": a}
                         for a, t, d, dup in rows])


def test_syndicated_copy_with_a_paragraph_added_points_at_the_earliest_original():
    articles = corpus([
        ("b-copy", WIRE + "\n" + ADDED, date(2022, 3, 30), None),
        ("a-wire", WIRE, date(2022, 3, 29), None),
        ("c-other", OTHER, date(2022, 3, 29), None),
    ])
    dup = find_near_duplicates(articles)
    assert list(dup.index) == ["b-copy", "a-wire", "c-other"]
    assert dup.to_dict() == {"b-copy": "a-wire", "a-wire": None, "c-other": None}


def test_changed_headline_and_light_edits_are_caught_but_same_event_reports_are_not():
    edited = WIRE.replace("on Tuesday", "on Tuesday, March 29,").replace("(Reuters)", "")
    articles = corpus([("a", WIRE, date(2022, 3, 29), None), ("b", edited, date(2022, 3, 29), None),
                       ("c", OTHER, date(2022, 3, 28), None)])
    articles.loc[1, "title"] = "A completely different headline"
    assert find_near_duplicates(articles).to_dict() == {"a": None, "b": "a", "c": None}


def test_exact_duplicates_keep_their_mark_and_short_texts_do_not_crash():
    articles = corpus([("a", WIRE, date(2022, 3, 29), None), ("x", WIRE, date(2022, 3, 28), "a"),
                       ("s", "Talks resume.", None, None), ("e", "", None, None)])
    assert find_near_duplicates(articles).to_dict() == {"a": None, "x": "a", "s": None, "e": None}


def test_ties_on_date_fall_back_to_input_order_and_runs_are_deterministic():
    articles = corpus([("z", WIRE, date(2022, 3, 29), None), ("m", WIRE + "\n" + ADDED, date(2022, 3, 29), None)])
    first, second = find_near_duplicates(articles), find_near_duplicates(articles)
    assert first.to_dict() == {"z": None, "m": "z"}
    assert first.equals(second)


def test_short_story_with_a_paragraph_added_is_caught_through_containment():
    short = "\n".join(WIRE.split("\n")[:3])
    articles = corpus([("a", short, date(2022, 3, 29), None), ("b", short + "\n" + ADDED, date(2022, 3, 30), None)])
    assert find_near_duplicates(articles).to_dict() == {"a": None, "b": "a"}


def test_signatures_kept_between_runs_are_computed_once_and_change_nothing(tmp_path, monkeypatch):
    from pipeline.resolve import near_duplicates
    first = corpus([("a-wire", WIRE, date(2022, 3, 29), None), ("c-other", OTHER, date(2022, 3, 29), None)])
    both = pd.concat([first, corpus([("b-copy", WIRE + "\n" + ADDED, date(2022, 3, 30), None)])], ignore_index=True)
    computed = []
    real = near_duplicates.signature
    monkeypatch.setattr(near_duplicates, "signature", lambda text, *a: computed.append(text) or real(text, *a))
    cache = tmp_path / "near_duplicates"
    assert find_near_duplicates(first, cache=cache).to_dict() == find_near_duplicates(first).to_dict()
    computed.clear()
    assert find_near_duplicates(both, cache=cache).to_dict() == {"a-wire": None, "c-other": None, "b-copy": "a-wire"}
    assert computed == [WIRE + "\n" + ADDED]  # only the new article was shingled and hashed
    (file,) = cache.glob("*.parquet")
    computed.clear()
    find_near_duplicates(first, cache=cache)  # the cache keeps exactly the articles of the last run
    assert computed == [] and sorted(pd.read_parquet(file)["article_id"]) == ["a-wire", "c-other"]
    file.write_bytes(b"not parquet")  # a damaged cache is recomputed, never the run's end
    assert find_near_duplicates(both, cache=cache).to_dict()["b-copy"] == "a-wire"
    assert len(computed) == 3
