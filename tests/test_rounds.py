"""Rounds: linking mentions to documented rounds, clustering new ones, assigning rounds to rows."""
from datetime import date

import pandas as pd
import pytest

from pipeline.nlp.dates import extract_dates
from pipeline.nlp.parse import parse_article
from pipeline.nlp.round_mentions import extract_round_mentions
from pipeline.resolve.positions_outcomes import assign_rounds, summarize_outcomes
from pipeline.resolve.round_reference import known_rounds
from pipeline.resolve.rounds import resolve_rounds
from schemas.round_mentions import RoundMentionsSchema
from schemas.rounds import RoundsSchema

NO_ROLES = pd.DataFrame(columns=["actor_id", "role", "affiliation", "article_id", "start", "end"])
NO_DATES = pd.DataFrame(columns=["article_id", "text", "date_start", "date_end", "year", "month", "day"])


def mention(aid="a1", n=0, **cues) -> dict:
    row = {"mention_id": f"rm-{aid}-{n}", "article_id": aid, "sentence_id": f"{aid}-s{n:04d}",
           "paragraph_id": f"{aid}-p{n:03d}", "start": 10 * n,
           "end": 10 * n + 5, "surface": "talks", "kind": "round", "definiteness": "bare", "tense": "past",
           "format": "unknown", "reference": None, "people": [], "parties": [], "delegation_heads": [],
           "date_text": None}
    row.update(cues)
    return row


def articles(*aids, published=None, publishers=None) -> pd.DataFrame:
    return pd.DataFrame({"article_id": list(aids), "published_date": [published] * len(aids),
                         "publisher": publishers or [None] * len(aids)})


def links(rows, arts=None, roles=NO_ROLES, dates=NO_DATES) -> dict:
    rounds, ms = resolve_rounds(pd.DataFrame(rows), arts if arts is not None else articles("a1"), roles, dates)
    RoundsSchema.validate(rounds, lazy=True)
    RoundMentionsSchema.validate(ms, lazy=True)
    return dict(zip(ms["mention_id"], ms["round_id"]))


def test_reference_rounds_are_sourced_and_consistent():
    rounds = known_rounds()
    assert len({r["id"] for r in rounds}) == len(rounds)
    for r in rounds:
        assert r["source"].startswith("http") and r["date_start"] <= r["date_end"]
        assert r["id"].endswith(r["date_start"].isoformat())


def test_month_and_day_pin_the_round_without_a_year():
    got = links([mention(month=5, day=16, reference="previous", date_text="May 16")])
    assert got["rm-a1-0"] == "istanbul-2025-05-16"


def test_region_and_ordinal_choose_among_rounds_in_one_country():
    got = links([mention(region="Brest region", country="BLR", ordinal=2, format="in_person"),
                 mention(n=1, definiteness="definite")])
    assert got == {"rm-a1-0": "belarus-2022-03-03", "rm-a1-1": "belarus-2022-03-03"}


def test_first_talks_since_2022_is_the_first_2025_round():
    got = links([mention(city="Istanbul", country="TUR", ordinal=1, after_year=2022, after_month=3)])
    assert got["rm-a1-0"] == "istanbul-2025-05-16"


def test_dated_roles_and_heads_choose_the_year():
    roles = pd.DataFrame([{"actor_id": "rustem-umerov", "role": "defence minister", "affiliation": "UKR",
                           "article_id": "a1", "start": 0, "end": 5}])
    got = links([mention(venue="Dolmabahce Palace", city="Istanbul", country="TUR",
                         delegation_heads=["rustem-umerov"])], roles=roles)
    assert got["rm-a1-0"] == "istanbul-2025-05-16"


def test_recent_round_is_the_latest_before_the_date_the_article_gives():
    dates = pd.DataFrame([{"article_id": "a1", "text": "late June", "date_start": None, "date_end": None,
                           "year": None, "month": 6, "day": None, "relative": True}])
    rows = [mention(city="Istanbul", country="TUR", reference="latest", delegation_heads=["rustem-umerov"]),
            mention(n=1, month=5, day=16, reference="previous")]
    assert links(rows, dates=dates)["rm-a1-0"] == "istanbul-2025-06-02"
    *_, est = resolve_rounds(pd.DataFrame(rows), articles("a1"), NO_ROLES, dates, with_estimates=True)
    assert est.iloc[0]["published_date_estimated"] == date(2025, 6, 30)


def test_generic_and_leaders_mentions_link_to_nothing():
    got = links([mention(region="Brest region", country="BLR", ordinal=2),
                 mention(n=1, definiteness="bare"), mention(n=2, kind="leaders", definiteness="definite")])
    assert got["rm-a1-1"] is None and got["rm-a1-2"] is None


def test_online_talks_do_not_take_an_in_person_round():
    got = links([mention(city="Istanbul", country="TUR", reference="latest", delegation_heads=["david-arakhamia"]),
                 mention(n=1, format="online", tense="ongoing")])
    assert got["rm-a1-0"] == "istanbul-2022-03-29" and got["rm-a1-1"] is None


def test_unknown_talks_cluster_into_one_new_round():
    rows = [mention("d1", city="Doha", country="QAT", date_start=date(2024, 3, 12), date_precision="day",
                    ordinal=2, host="QAT", parties=["ISR"]),
            mention("d1", 1, definiteness="definite"),
            mention("d2", city="Doha", country="QAT", date_start=date(2024, 3, 13), date_precision="day"),
            mention("d2", 1, ordinal=2)]
    rounds, ms = resolve_rounds(pd.DataFrame(rows), articles("d1", "d2", published=date(2024, 3, 14),
                                                             publishers=["AP", "Reuters"]), NO_ROLES, NO_DATES)
    assert len(rounds) == 1
    r = rounds.iloc[0]
    assert r["round_id"].startswith("round-") and not r["in_reference"]
    assert (r["city"], r["country"], r["date_start"], r["n_articles"], r["n_publishers"]) == \
        ("Doha", "QAT", date(2024, 3, 12), 2, 2)
    assert set(ms["round_id"]) == {r["round_id"]}


def test_undated_talks_join_the_round_they_most_likely_mean_and_never_make_one():
    """An undated mention of talks in a place joins the round of that place in the month it names, else the one
    that ended just before its article; otherwise it stays unlinked: no undated round is invented."""
    rows = [mention("o1", city="Oslo", country="NOR", date_start=date(2024, 5, 2), date_precision="day"),
            mention("o2", city="Oslo", country="NOR", date_start=date(2024, 9, 10), date_precision="day"),
            mention("o3", city="Oslo", country="NOR", ordinal=2, parties=["RUS", "UKR"]),
            mention("o4", city="Oslo", country="NOR", month=5, year=2024),
            mention("o5", city="Oslo", country="NOR"),
            mention("o6", city="Bergen", country="NOR")]
    arts = pd.DataFrame({"article_id": ["o1", "o2", "o3", "o4", "o5", "o6"],
                         "published_date": [None, None, date(2024, 9, 12), None, date(2025, 1, 1), None]})
    rounds, ms = resolve_rounds(pd.DataFrame(rows), arts, NO_ROLES, NO_DATES)
    ids = dict(zip(ms["article_id"], ms["round_id"]))
    assert ids["o3"] == ids["o2"] and ids["o4"] == ids["o1"] and ids["o1"] != ids["o2"]
    assert ids["o5"] is None and ids["o6"] is None
    assert rounds["date_start"].notna().all() and len(rounds) == 2
    september = rounds[rounds["round_id"] == ids["o2"]].iloc[0]
    assert september["ordinal"] == 2 and list(september["parties"]) == ["RUS", "UKR"]


def test_multi_day_talks_are_one_round_from_first_to_last_day():
    """One article's talks in one place over a week (opened on the 6th, ended on the 13th) are one round; another
    article's report of the last day joins it; talks in the same country two months on are another round."""
    rows = [mention("s1", country="SWE", date_start=date(2018, 12, 6), date_precision="day"),
            mention("s1", 1, country="SWE", date_start=date(2018, 12, 13), date_precision="day"),
            mention("s2", country="SWE", city="Rimbo", date_start=date(2018, 12, 14), date_precision="day"),
            mention("s3", country="SWE", date_start=date(2019, 2, 10), date_precision="day")]
    rounds, ms = resolve_rounds(pd.DataFrame(rows), articles("s1", "s2", "s3"), NO_ROLES, NO_DATES)
    assert ms["round_id"].nunique() == 2 and len(set(ms["round_id"][:3])) == 1
    first = rounds.iloc[0]
    assert (first["date_start"], first["date_end"], first["city"]) == (date(2018, 12, 6), date(2018, 12, 14), "Rimbo")


def test_a_dated_mention_without_place_takes_its_articles_talks_place():
    """'The talks ended on Saturday' in an article whose talks are 'in Ohrid' is a mention of talks in Ohrid on that
    Saturday; a place tied to a date weeks away (a deal 'accepted in Brussels on February 27') is not lent."""
    rows = [mention("k1", city="Brussels", country="BEL", date_start=date(2023, 2, 27), date_precision="day"),
            mention("k1", 1, date_start=date(2023, 3, 18), date_precision="day", definiteness="definite"),
            mention("k2", city="Ohrid", country="MKD"),
            mention("k2", 1, date_start=date(2023, 3, 18), date_precision="day")]
    rounds, ms = resolve_rounds(pd.DataFrame(rows), articles("k1", "k2"), NO_ROLES, NO_DATES)
    by_place = dict(zip(rounds["country"], rounds["date_start"]))
    assert by_place == {"BEL": date(2023, 2, 27), "MKD": date(2023, 3, 18)}
    assert ms["round_id"].iloc[2] == ms["round_id"].iloc[3]


def test_weekday_and_story_day_date_new_rounds():
    """A weekday is read against the article's date (estimated when it has none); undated talks an article
    reports in a place happened on its story's day (the latest day it names up to its date)."""
    from pipeline.resolve.round_context import mention_day, story_day
    c = {"pub": date(2020, 12, 3), "estimated": None, "dates": [
        {"year": 2020, "month": 12, "day": 2}, {"year": 2020, "month": 9, "day": 12}, {"year": 2021, "month": 1,
                                                                                     "day": 15}]}
    assert mention_day({"weekday": 2}, c) == date(2020, 12, 2)  # the Wednesday before a Thursday paper
    assert mention_day({"weekday": 2, "tense": "planned"}, c) == date(2020, 12, 9)
    assert mention_day({"weekday": 2}, dict(c, pub=None)) is None
    assert mention_day({"date_start": date(2020, 9, 1), "date_precision": "month"}, c) is None
    assert story_day(c) == date(2020, 12, 2) and story_day(dict(c, dates=c["dates"][1:])) is None
    rows = [mention("h1", city="Havana", country="CUB")]
    dates = pd.DataFrame([{"article_id": "h1", "year": 2016, "month": 8, "day": 24, "text": "Wednesday"}])
    rounds, ms = resolve_rounds(pd.DataFrame(rows), articles("h1", published=date(2016, 8, 25)), NO_ROLES, dates)
    assert list(rounds["date_start"]) == [date(2016, 8, 24)]
    rounds, ms = resolve_rounds(pd.DataFrame(rows), articles("h1", published=date(2016, 8, 25)), NO_ROLES, NO_DATES)
    assert rounds.empty and ms["round_id"].isna().all()


def test_made_up_doha_article_end_to_end():
    text = ("Israeli and Hamas negotiators met in Doha on Tuesday for a second round of indirect talks hosted "
            "by Qatar.\nThe talks lasted four hours, officials said.\nPeace talks are never easy.")
    parsed = parse_article("doha", text, date(2024, 3, 14))
    rows = extract_round_mentions(parsed, extract_dates(parsed), [], [])
    rounds, ms = resolve_rounds(pd.DataFrame(rows), articles("doha", published=date(2024, 3, 14)), NO_ROLES,
                                pd.DataFrame(extract_dates(parsed)))
    assert len(rounds) == 1 and not rounds.iloc[0]["in_reference"]
    assert (rounds.iloc[0]["city"], rounds.iloc[0]["host"], rounds.iloc[0]["date_start"]) == \
        ("Doha", "QAT", date(2024, 3, 12))
    assert list(ms["round_id"].isna()) == [False, False, True]


def test_seeds_link_their_rounds(seeds_dir):
    """Seeds have no published date: place, ordinal, people and dates decide (people given by hand here)."""
    heads = {"003": ["rustem-umerov", "vladimir-medinsky"], "004": ["rustem-umerov", "vladimir-medinsky"],
             "002": ["david-arakhamia", "vladimir-medinsky"]}
    rows, dates, arts = [], [], []
    for path in sorted(seeds_dir.glob("*.txt")):
        aid = path.name[:3]
        parsed = parse_article(aid, path.read_text(encoding="utf-8"), None)
        people = [{"sentence_id": s.sentence_id, "actor_id": a, "actor_type": "person"}
                  for s in parsed.sentences for a in heads.get(aid, [])]
        d = extract_dates(parsed)
        rows += extract_round_mentions(parsed, d, people, [])
        dates += d
        arts.append(aid)
    rounds, ms = resolve_rounds(pd.DataFrame(rows), articles(*arts), NO_ROLES, pd.DataFrame(dates))
    linked = ms.dropna(subset=["round_id"]).groupby("article_id")["round_id"].apply(set).to_dict()
    assert linked["000"] >= {"belarus-2022-02-28"} and linked["000"] <= {"belarus-2022-02-28", "belarus-2022-03-03"}
    assert linked["001"] == {"belarus-2022-03-03"}
    assert linked["002"] == {"istanbul-2022-03-29"}
    assert linked["003"] == {"istanbul-2025-05-16", "istanbul-2025-06-02"}
    assert linked["004"] == {"istanbul-2025-05-16"}
    assert rounds["in_reference"].all()


def test_assign_rounds_same_sentence_then_earlier_then_main():
    rm = pd.DataFrame([
        {"article_id": "a", "sentence_id": "a-s1", "start": 10, "round_id": "r1", "tense": "past"},
        {"article_id": "a", "sentence_id": "a-s3", "start": 30, "round_id": "r2", "tense": "past"},
        {"article_id": "a", "sentence_id": "a-s4", "start": 40, "round_id": "r3", "tense": "planned"},
        {"article_id": "a", "sentence_id": "a-s5", "start": 50, "round_id": "r2", "tense": "past"}])
    rows = pd.DataFrame([{"article_id": "a", "sentence_id": s, "start": st} for s, st in
                         [("a-s1", 12), ("a-s2", 22), ("a-s4", 42), ("a-s0", 1)]] +
                        [{"article_id": "b", "sentence_id": "b-s0", "start": 0}])
    assert list(assign_rounds(rows, rm)["round_id"]) == ["r1", "r1", "r2", "r2", None]


def test_a_next_round_follows_the_main_round_not_a_recalled_one():
    rm = pd.DataFrame([
        {"article_id": "a", "sentence_id": "a-s0", "start": 0, "round_id": "main", "tense": "past"},
        {"article_id": "a", "sentence_id": "a-s1", "start": 10, "round_id": "main", "tense": "past"},
        {"article_id": "a", "sentence_id": "a-s2", "start": 20, "round_id": "earlier", "tense": "past"},
        {"article_id": "a", "sentence_id": "a-s3", "start": 30, "round_id": "next", "tense": "planned"}])
    rows = pd.DataFrame([
        {"article_id": "a", "sentence_id": "a-s3", "start": 31, "outcome_type": "next_round"},
        {"article_id": "a", "sentence_id": "a-s4", "start": 41, "outcome_type": "prisoner_exchange"},
        {"article_id": "a", "sentence_id": "a-s2", "start": 21, "outcome_type": "next_round"}], index=[7, 3, 5])
    out = assign_rounds(rows, rm)
    assert list(out.index) == [7, 3, 5]
    assert list(out["round_id"]) == ["main", "earlier", "earlier"]


def test_summarize_outcomes():
    rounds = pd.DataFrame([{"round_id": "r1", "outcome": None}, {"round_id": "r2", "outcome": None}])
    outcomes = pd.DataFrame([
        {"round_id": "r1", "outcome_type": "prisoner_exchange", "status": "agreed", "quantity": 1000.0},
        {"round_id": "r1", "outcome_type": "prisoner_exchange", "status": "agreed", "quantity": None},
        {"round_id": "r1", "outcome_type": "bodies_return", "status": "agreed", "quantity": None},
        {"round_id": "r1", "outcome_type": "ceasefire", "status": "rejected", "quantity": None}])
    out = summarize_outcomes(rounds, outcomes)
    assert out["outcome"].tolist() == ["agreed: prisoner_exchange (1000), bodies_return; rejected: ceasefire", None]


@pytest.mark.parametrize("rows", [[], [mention(kind="leaders")], [mention(city=None, month=13, day=40)]])
def test_odd_input_never_raises(rows):
    rounds, ms = resolve_rounds(pd.DataFrame(rows), articles("a1"), NO_ROLES, NO_DATES)
    assert len(ms) == len(rows)


def test_estimated_dates_join_articles_without_touching_published_date():
    import datetime as dt

    import pandas as pd

    from pipeline.resolve.article_dates import with_estimated_dates
    articles = pd.DataFrame({"article_id": ["a", "b"], "published_date": [dt.date(2022, 3, 1), None]})
    estimates = pd.DataFrame({"article_id": ["b"], "published_date_estimated": [dt.date(2025, 6, 20)],
                              "published_date_basis": ["after round istanbul-2025-06-02"]})
    out = with_estimated_dates(articles, estimates)
    assert out["published_date"].tolist() == [dt.date(2022, 3, 1), None]
    assert out["published_date_estimated"].tolist() == [None, dt.date(2025, 6, 20)]
    assert out["published_date_basis"].tolist() == [None, "after round istanbul-2025-06-02"]
    assert with_estimated_dates(articles, estimates.iloc[:0])["published_date_estimated"].tolist() == [None, None]


def test_impossible_month_days_never_crash_resolution():
    from pipeline.resolve.round_context import valid_day as _valid_day
    from pipeline.resolve.round_dates import estimate as _estimate
    assert _valid_day(2025, 2, 30) is None and _valid_day(2024, 2, 29).day == 29
    assert _valid_day(2025, 4, None).day == 30
    context = {"dates": [{"month": 2, "day": 30, "year": 2025, "text": "February 30", "relative": False}]}
    assert _estimate([], context, {}) == (None, None)


def test_linking_in_chunks_of_articles_gives_what_the_whole_corpus_gives(tmp_path):
    """The step reads mentions in chunks of whole articles (2 rows here): links to known rounds, estimated dates
    and new rounds clustered across chunks (Oslo, undated and dated, in four articles) come out as from one frame."""
    from pipeline.publish.arrow import article_chunks, to_arrow
    from pipeline.resolve.rounds import link_rounds
    import pyarrow.parquet as pq
    rows = [mention("o1", city="Oslo", country="NOR", date_start=date(2024, 5, 2), date_precision="day"),
            mention("o1", 1, definiteness="definite"),
            mention("k1", month=5, day=16, date_text="May 16"), mention("k1", 1, definiteness="definite"),
            mention("o2", city="Oslo", country="NOR", date_start=date(2024, 5, 3), date_precision="day"),
            mention("o3", city="Oslo", country="NOR", ordinal=2, parties=["RUS", "UKR"], month=5, year=2024),
            mention("o3", 1, reference="next", definiteness="definite"),
            mention("o4", city="Oslo", country="NOR"), mention("o4", 1, definiteness="definite")]
    arts = articles("o1", "k1", "o2", "o3", "o4", "gone")
    rounds, ms, estimates = resolve_rounds(pd.DataFrame(rows), arts, NO_ROLES, NO_DATES, with_estimates=True)
    path = tmp_path / "round_mention_candidates.parquet"
    pq.write_table(to_arrow(pd.DataFrame(rows)), path)
    chunked = link_rounds(article_chunks(path, rows=2), arts, NO_ROLES, NO_DATES)
    assert chunked.round_ids == list(ms["round_id"]) and ms["round_id"].notna().sum() >= 6
    assert len(set(ms.loc[ms["article_id"].isin(["o1", "o2"]), "round_id"])) == 1  # clustered across chunks
    pd.testing.assert_frame_equal(chunked.rounds, rounds)
    pd.testing.assert_frame_equal(chunked.estimates, estimates)
    assert list(estimates["article_id"]) == ["o1", "k1", "o2", "o3", "o4", "gone"]


def test_an_ordinal_alone_does_not_pull_an_article_dated_elsewhere_into_a_known_round():
    # made up: an article whose talks are dated in October mentions "the second phase of talks" undated;
    # the 2025 Istanbul second round (June) must not take it, nor its dated mentions.
    rows = [mention(date_start=date(2025, 10, 9), date_precision="day", year=2025, month=10, day=9),
            mention(n=1, definiteness="definite", date_start=date(2025, 10, 6), date_precision="day",
                    year=2025, month=10, day=6),
            mention(n=2, ordinal=2)]
    got = links(rows, articles("a1", published=date(2025, 10, 9)))
    assert not any(str(v).startswith("istanbul") for v in got.values())


def test_an_ordinal_still_links_when_the_articles_days_fit_the_round():
    rows = [mention(date_start=date(2025, 6, 2), date_precision="day", year=2025, month=6, day=2),
            mention(n=1, ordinal=2)]
    got = links(rows, articles("a1", published=date(2025, 6, 3)))
    assert got["rm-a1-1"] == "istanbul-2025-06-02"


def test_undated_talks_between_other_parties_do_not_join_a_round_in_the_same_city():
    """Made up: one city hosts two negotiations; an undated mention of talks there between other parties joins
    none of the first one's rounds, while one naming a shared party (or none) still does."""
    rows = [mention("d1", city="Doha", country="QAT", date_start=date(2024, 1, 13), date_precision="day",
                    parties=["ISR", "Hamas"]),
            mention("d2", city="Doha", country="QAT", month=1, year=2024, parties=["COD", "M23"]),
            mention("d3", city="Doha", country="QAT", month=1, year=2024, parties=["Hamas"]),
            mention("d4", city="Doha", country="QAT", month=1, year=2024)]
    arts = pd.DataFrame({"article_id": ["d1", "d2", "d3", "d4"], "published_date": [date(2024, 1, 14)] * 4})
    rounds, ms = resolve_rounds(pd.DataFrame(rows), arts, NO_ROLES, NO_DATES)
    ids = dict(zip(ms["article_id"], ms["round_id"]))
    assert ids["d2"] is None and ids["d3"] == ids["d1"] and ids["d4"] == ids["d1"]
    assert list(rounds.iloc[0]["parties"]) == ["Hamas", "ISR"]


def test_a_mentioned_range_of_days_gives_the_new_round_its_last_day():
    # "talks were held from May 6 to May 20 in the Saudi city of Jeddah"
    rows = [mention("j1", city="Jeddah", country="SAU", date_start=date(2024, 5, 6), date_end=date(2024, 5, 20),
                    date_precision="day")]
    rounds, _ = resolve_rounds(pd.DataFrame(rows), articles("j1", published=date(2024, 5, 21)), NO_ROLES, NO_DATES)
    [r] = rounds.to_dict("records")
    assert (r["date_start"], r["date_end"]) == (date(2024, 5, 6), date(2024, 5, 20))


@pytest.mark.parametrize("end", [None, date(2024, 5, 6), date(2024, 9, 30)])
def test_one_day_or_an_implausibly_long_range_stays_one_day(end):
    rows = [mention("j1", city="Jeddah", country="SAU", date_start=date(2024, 5, 6), date_end=end,
                    date_precision="day")]
    rounds, _ = resolve_rounds(pd.DataFrame(rows), articles("j1", published=date(2024, 10, 1)), NO_ROLES, NO_DATES)
    [r] = rounds.to_dict("records")
    assert (r["date_start"], r["date_end"]) == (date(2024, 5, 6), date(2024, 5, 6))
