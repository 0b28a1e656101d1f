"""facts and fact_mentions: one fact per statement across outlets, support counts, conflicts, stable ids."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipeline.resolve.facts import build_facts, quote_versions, role_words
from schemas.fact_mentions import FactMentionsSchema
from schemas.facts import FactsSchema

ARTICLES = pd.DataFrame([
    {"article_id": "a1", "publisher": "Reuters", "published_date": date(2022, 3, 29), "duplicate_of": None},
    {"article_id": "a2", "publisher": "AP", "published_date": date(2022, 3, 30), "duplicate_of": None},
    {"article_id": "a3", "publisher": None, "published_date": date(2022, 3, 31), "duplicate_of": None},
    {"article_id": "a4", "publisher": "Yahoo", "published_date": date(2022, 4, 1), "duplicate_of": "a1"},
])
ROLES = pd.DataFrame([
    {"actor_id": "act-medinsky", "role": "head of the delegation", "affiliation": "RUS", "article_id": "a1", "start": 0, "end": 10},
    {"actor_id": "act-medinsky", "role": "Delegation head", "affiliation": "RUS", "article_id": "a2", "start": 5, "end": 20},
    {"actor_id": "act-medinsky", "role": "head of delegation", "affiliation": "RUS", "article_id": "a3", "start": 7, "end": 30},
    {"actor_id": "act-medinsky", "role": "head of delegation", "affiliation": "RUS", "article_id": "a3", "start": 90, "end": 110},
    {"actor_id": None, "role": "negotiator", "affiliation": None, "article_id": "a3", "start": 1, "end": 2},
])
POSITIONS = pd.DataFrame([
    {"position_id": "p1", "round_id": "r-ist", "actor_id": "act-ukr", "side": "UKR", "stance": "proposal", "issue": "neutrality", "article_id": "a1", "start": 0, "end": 5},
    {"position_id": "p2", "round_id": "r-ist", "actor_id": "act-arakhamia", "side": "UKR", "stance": "proposal", "issue": "neutrality", "article_id": "a2", "start": 0, "end": 5},
    {"position_id": "p3", "round_id": "r-ist", "actor_id": "act-ukr", "side": "UKR", "stance": "proposal", "issue": "neutrality", "article_id": "a4", "start": 0, "end": 5},
])
OUTCOMES = pd.DataFrame([
    {"outcome_id": "o1", "round_id": "r-ist", "outcome_type": "prisoner_exchange", "status": "agreed", "quantity": 86.0, "quantity_unit": "prisoners", "article_id": "a1", "start": 0, "end": 9},
    {"outcome_id": "o2", "round_id": "r-ist", "outcome_type": "prisoner_exchange", "status": "agreed", "quantity": 100.0, "quantity_unit": "prisoners", "article_id": "a2", "start": 0, "end": 9},
    {"outcome_id": "o3", "round_id": "r-ist", "outcome_type": "next_round", "status": "agreed", "quantity": None, "quantity_unit": None, "article_id": "a2", "start": 20, "end": 29},
])
CLAIMS = pd.DataFrame([
    {"claim_id": "c1", "article_id": "a1", "sentence_id": "a1-s1", "value": 3_900_000.0, "unit": "people", "measure": "refugees", "start": 0, "end": 9},
    {"claim_id": "c2", "article_id": "a2", "sentence_id": "a2-s4", "value": 4_000_000.0, "unit": "people", "measure": "refugees", "start": 0, "end": 9},
    {"claim_id": "c3", "article_id": "a3", "sentence_id": "a3-s2", "value": 12.0, "unit": "%", "measure": "survey_share", "start": 0, "end": 9},
])
QUOTES = pd.DataFrame([
    {"quote_id": "q1", "article_id": "a1", "speaker_actor_id": "act-medinsky", "speaker_surface": "Medinsky", "text": "\u201cThe talks were constructive.\u201d", "kind": "direct", "cue": "said", "start": 0, "end": 9},
    {"quote_id": "q2", "article_id": "a2", "speaker_actor_id": "act-medinsky", "speaker_surface": "Medinski", "text": "the talks were constructive", "kind": "partial", "cue": "said", "start": 0, "end": 9},
    {"quote_id": "q3", "article_id": "a3", "speaker_actor_id": "act-medinsky", "speaker_surface": "Medinskiy", "text": "Talks were really constructive", "kind": "indirect", "cue": "said", "start": 0, "end": 9},
    {"quote_id": "q4", "article_id": "a3", "speaker_actor_id": None, "speaker_surface": None, "text": "Nothing is agreed until everything is agreed.", "kind": "direct", "cue": None, "start": 40, "end": 60},
    {"quote_id": "q5", "article_id": "a2", "speaker_actor_id": "act-medinsky", "speaker_surface": "Medinsky", "text": "We will reduce military activity near Kyiv.", "kind": "direct", "cue": "said", "start": 40, "end": 60},
])
ROUND_MENTIONS = pd.DataFrame([
    {"round_id": "r-ist", "article_id": "a1", "sentence_id": "a1-s1", "start": 0, "end": 8, "date_text": "Tuesday", "city": "Istanbul", "date_start": date(2022, 3, 29)},
    {"round_id": "r-ist", "article_id": "a2", "sentence_id": "a2-s0", "start": 0, "end": 8, "date_text": "Wednesday", "city": "Istanbul", "date_start": date(2022, 3, 30)},
    {"round_id": None, "article_id": "a3", "sentence_id": "a3-s0", "start": 0, "end": 8, "date_text": "last week", "city": None, "date_start": None},
])


def build(articles=ARTICLES, quotes=QUOTES, claims=CLAIMS):
    facts, mentions = build_facts(articles, ROLES, POSITIONS, OUTCOMES, claims, quotes, ROUND_MENTIONS)
    FactsSchema.validate(facts, lazy=True)
    FactMentionsSchema.validate(mentions, lazy=True)
    return facts, mentions


def one(facts: pd.DataFrame, **where) -> pd.Series:
    rows = facts.loc[(facts[list(where)] == pd.Series(where)).all(axis=1)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_one_person_spelled_three_ways_is_one_role_fact_counted_once_per_article():
    facts, mentions = build()
    role = one(facts, fact_type="role")
    assert role["subject_actor_id"] == "act-medinsky" and role["value"] == "RUS" and not role["conflict"]
    assert role["key"] == "head of delegation"
    assert (role["n_mentions"], role["n_articles"], role["n_publishers"]) == (4, 3, 3)
    assert role["article_ids"] == ["a1", "a2", "a3"]
    assert role["first_published"] == date(2022, 3, 29)
    assert (mentions["fact_id"] == role["fact_id"]).sum() == 4


def test_role_words_ignore_order_and_filler():
    assert role_words("Head of the Delegation") == role_words("delegation head") == "delegation head"


def test_different_prisoner_numbers_for_one_exchange_conflict_and_both_values_are_kept():
    facts, _ = build()
    exchange = one(facts, fact_type="outcome", key="prisoner_exchange agreed")
    assert exchange["conflict"] and exchange["values"] == ["86 prisoners", "100 prisoners"]
    assert exchange["round_id"] == "r-ist" and exchange["n_articles"] == 2
    assert not one(facts, fact_type="outcome", key="next_round agreed")["conflict"]


def test_close_claim_figures_of_two_outlets_are_one_thing_in_conflict_and_take_the_sentence_round():
    facts, _ = build()
    refugees = one(facts, fact_type="claim", key="refugees")
    assert refugees["conflict"] and refugees["values"] == ["3900000 people", "4000000 people"]
    assert refugees["round_id"] == "r-ist" and refugees["n_articles"] == 2


def test_two_outlets_paraphrasing_one_quote_are_one_fact():
    facts, _ = build()
    quotes = facts.loc[facts["fact_type"] == "quote"]
    constructive = quotes.loc[quotes["article_ids"].map(lambda ids: "a1" in ids)].iloc[0]
    assert constructive["article_ids"] == ["a1", "a2", "a3"] and constructive["subject_actor_id"] == "act-medinsky"
    assert len(quotes) == 3
    unattributed = one(quotes, key="nothing is agreed until everything is agreed")
    assert unattributed["subject_actor_id"] is None


def test_quote_versions_merge_partial_and_paraphrased_but_not_short_words():
    versions = quote_versions(["we want peace now", "want peace", "peace", "we want peace now and forever"])
    assert versions["we want peace now"] == "we want peace now and forever"
    assert versions["peace"] == "peace" and versions["want peace"] == "want peace"


def test_duplicates_add_no_independent_support_and_missing_publisher_is_its_own_source():
    facts, _ = build()
    position = one(facts, fact_type="position")
    assert (position["n_articles"], position["n_originals"], position["n_publishers"]) == (3, 2, 3)
    assert position["key"] == "UKR proposal neutrality" and position["subject_actor_id"] == "act-ukr"


def test_round_fact_has_every_mentioning_article_and_flags_conflicting_dates():
    facts, mentions = build()
    rnd = one(facts, fact_type="round")
    assert rnd["round_id"] == "r-ist" and rnd["article_ids"] == ["a1", "a2"] and rnd["conflict"]
    assert rnd["values"] == ["2022-03-29 Istanbul", "2022-03-30 Istanbul"]
    assert not mentions["source_row_id"].str.startswith("a3:0-8").any()


def test_adding_an_article_changes_only_the_facts_it_touches():
    before, _ = build()
    articles = pd.concat([ARTICLES, pd.DataFrame([{"article_id": "a5", "publisher": "BBC",
                                                   "published_date": date(2022, 4, 2), "duplicate_of": None}])])
    extra = {"quote_id": "q6", "article_id": "a5", "speaker_actor_id": "act-medinsky", "speaker_surface": "Medinsky",
             "text": "We will reduce military activity near Kyiv", "kind": "direct", "cue": "said", "start": 3, "end": 9}
    after, _ = build(articles, pd.concat([QUOTES, pd.DataFrame([extra])], ignore_index=True))
    assert set(after["fact_id"]) == set(before["fact_id"])
    changed = after.set_index("fact_id").drop(columns=["values", "article_ids"]).compare(
        before.set_index("fact_id").drop(columns=["values", "article_ids"]))
    touched = after.loc[after["article_ids"].map(lambda ids: "a5" in ids), "fact_id"]
    assert set(changed.index) == set(touched) and len(touched) == 1


def test_a_number_without_round_or_subject_joins_the_key():
    claims = pd.DataFrame([
        {"claim_id": "x1", "article_id": "a3", "sentence_id": "a3-s9", "value": 500.0, "unit": None, "measure": "bodies", "start": 0, "end": 3},
        {"claim_id": "x2", "article_id": "a3", "sentence_id": "a3-s9", "value": 20.0, "unit": None, "measure": "bodies", "start": 5, "end": 8},
    ])
    facts, _ = build(claims=claims)
    bodies = facts.loc[facts["key"] == "bodies"]
    assert len(bodies) == 2 and not bodies["conflict"].any()


@pytest.mark.parametrize("empty", ["roles", "all"])
def test_empty_inputs(empty):
    none = {name: frame.iloc[0:0] for name, frame in
            {"roles": ROLES, "positions": POSITIONS, "outcomes": OUTCOMES, "claims": CLAIMS, "quotes": QUOTES,
             "round_mentions": ROUND_MENTIONS}.items()}
    tables = none if empty == "all" else {**none, "positions": POSITIONS}
    facts, mentions = build_facts(ARTICLES, **tables)
    assert len(facts) == (0 if empty == "all" else 1) and list(mentions.columns)[:2] == ["fact_id", "article_id"]


# ---- 17.6: facts never cross negotiations; conflicts only between figures for the same thing -----------------

SIX = pd.DataFrame([{"article_id": f"n{i}", "publisher": f"P{i}", "published_date": date(2024, 1, i + 1),
                     "duplicate_of": None} for i in range(1, 7)])


def claim(article: str, value: float, measure: str = "hostages", sentence: str = "s1", start: int = 0) -> dict:
    return {"claim_id": f"{article}-{start}", "article_id": article, "sentence_id": f"{article}-{sentence}",
            "value": value, "unit": "person", "measure": measure, "start": start, "end": start + 3}


def mention(article: str, round_id: str, sentence: str = "s0") -> dict:
    return {"round_id": round_id, "article_id": article, "sentence_id": f"{article}-{sentence}", "start": 0, "end": 5,
            "date_text": None, "city": None, "date_start": None}


def claim_facts(claims: list[dict], mentions: list[dict]) -> pd.DataFrame:
    facts, _ = build_facts(SIX, ROLES.iloc[0:0], POSITIONS.iloc[0:0], OUTCOMES.iloc[0:0], pd.DataFrame(claims),
                           QUOTES.iloc[0:0], pd.DataFrame(mentions))
    FactsSchema.validate(facts, lazy=True)
    return facts.loc[facts["fact_type"] == "claim"]


def test_two_outlets_disagreeing_on_one_figure_are_one_fact_in_conflict():
    facts = claim_facts([claim("n1", 94), claim("n2", 98)], [mention("n1", "r-a"), mention("n2", "r-a")])
    assert len(facts) == 1 and facts.iloc[0]["conflict"] and facts.iloc[0]["article_ids"] == ["n1", "n2"]


def test_the_same_figure_in_two_negotiations_is_two_facts():
    facts = claim_facts([claim("n1", 2000), claim("n2", 2000)], [mention("n1", "r-gaza"), mention("n2", "r-sudan")])
    assert len(facts) == 2 and not facts["conflict"].any()


def test_a_figure_of_two_known_rounds_of_one_negotiation_is_two_facts():
    claims = [claim("n1", 2000, sentence="s0"), claim("n2", 2000, sentence="s0"), claim("n3", 1900)]
    mentions = [mention("n1", "r-jan"), mention("n2", "r-oct"), mention("n3", "r-jan"), mention("n3", "r-oct", "s5")]
    facts = claim_facts(claims, mentions)
    assert sorted(map(len, facts["article_ids"])) == [1, 2] and facts["round_id"].notna().all()


def test_one_article_giving_two_figures_speaks_of_two_things():
    claims = [claim("n1", 7500, "prisoners"), claim("n1", 8600, "prisoners", start=9), claim("n2", 7700, "prisoners"),
              claim("n2", 8600, "prisoners", start=9), claim("n3", 15000, "prisoners")]
    mentions = [mention(a, "r-talks") for a in ("n1", "n2", "n3")]
    facts = claim_facts(claims, mentions)
    assert sorted((f["article_ids"], f["conflict"]) for _, f in facts.iterrows()) == [
        (["n1", "n2"], False), (["n1", "n2"], True), (["n3"], False)]


def test_a_claim_without_a_round_merges_within_its_negotiation_only():
    claims = [claim("n1", 220000, "casualties", "s9"), claim("n2", 260000, "casualties", "s9"),
              claim("n3", 220000, "casualties", "s9")]
    mentions = [mention("n1", "r-june"), mention("n2", "r-aug"), mention("n2", "r-june", "s2")]
    facts = claim_facts(claims, mentions)  # n3 mentions no round: a negotiation of its own
    assert sorted(map(tuple, facts["article_ids"])) == [("n1", "n2"), ("n3",)]
    assert facts.set_index(facts["article_ids"].map(len))["conflict"].to_dict() == {2: True, 1: False}


def test_different_measures_never_conflict():
    facts = claim_facts([claim("n1", 94, "hostages"), claim("n2", 98, "bodies")],
                        [mention("n1", "r-a"), mention("n2", "r-a")])
    assert len(facts) == 2 and not facts["conflict"].any()


def test_articles_sharing_two_principal_parties_are_one_negotiation_without_rounds():
    from pipeline.resolve.fact_scopes import negotiations
    rows = [("n1", "COL", 5), ("n1", "FARC", 3), ("n1", "CUB", 1), ("n2", "FARC", 2), ("n2", "COL", 2),
            ("n3", "COL", 4), ("n3", "VEN", 3), ("n3", "BRA", 2), ("n4", "UN", 9)]
    mentions = pd.DataFrame([{"article_id": a, "country": c, "actor_type": "organization" if c == "UN" else "state"}
                             for a, c, n in rows for _ in range(n)])
    labels = negotiations(pd.DataFrame(columns=["article_id", "round_id"]), mentions)
    assert labels["n1"] == labels["n2"] and labels.get("n3") != labels["n1"]  # one party in common is not enough
    assert "n4" not in labels  # an organisation is no party: the article stays a negotiation of its own


def _two_parties(*articles: str) -> pd.DataFrame:
    return pd.DataFrame([{"article_id": a, "country": c, "actor_type": "state"}
                         for a in articles for c in ("ISR", "PSE", "PSE")])


def test_articles_far_apart_in_time_do_not_join_through_parties_alone():
    from pipeline.resolve.fact_scopes import article_dates, negotiations
    articles = pd.DataFrame([{"article_id": a, "published_date": d} for a, d in [
        ("jan1", date(2025, 1, 16)), ("jan2", date(2025, 1, 20)), ("oct1", date(2025, 10, 9)),
        ("oct2", None)]]).assign(published_date_estimated=[None, None, None, date(2025, 10, 12)])
    no_rounds = pd.DataFrame(columns=["article_id", "round_id"])
    labels = negotiations(no_rounds, _two_parties("jan1", "jan2", "oct1", "oct2"), article_dates(articles))
    assert labels["jan1"] == labels["jan2"] != labels["oct1"] == labels["oct2"]  # estimated date used for oct2
    shared = pd.DataFrame([{"article_id": "jan1", "round_id": "r-x"}, {"article_id": "oct1", "round_id": "r-x"}])
    labels = negotiations(shared, _two_parties("jan1", "oct1"), article_dates(articles))
    assert labels["jan1"] == labels["oct1"]  # a round both mention joins them whatever their dates


def test_two_deals_months_apart_are_two_facts_but_close_reports_conflict():
    dated = pd.DataFrame([{"article_id": a, "publisher": a, "published_date": d, "duplicate_of": None}
                          for a, d in [("a1", date(2025, 1, 16)), ("a2", date(2025, 1, 19)),
                                       ("a3", date(2025, 10, 10))]])
    claims = [claim("a1", 1700, "prisoners"), claim("a2", 1900, "prisoners"), claim("a3", 2000, "prisoners")]
    facts, _ = build_facts(dated, ROLES.iloc[0:0], POSITIONS.iloc[0:0], OUTCOMES.iloc[0:0], pd.DataFrame(claims),
                           QUOTES.iloc[0:0], pd.DataFrame(columns=["article_id", "sentence_id", "round_id"]),
                           actor_mentions=_two_parties("a1", "a2", "a3"))
    by_articles = {tuple(f["article_ids"]): f["conflict"] for _, f in facts.iterrows()}
    assert by_articles == {("a1", "a2"): True, ("a3",): False}


def test_figures_never_chain_into_one_thing_and_rounds_keep_equal_figures_apart():
    from pipeline.resolve.fact_scopes import thing_ids
    frame = pd.DataFrame({"article_id": ["a", "b", "c", "d", "e", "f"], "k": "casualties",
                          "round_id": [None, None, None, None, "r1", "r2"], "v": [35, 42, 50, 60, 900, 900]})
    labels, _ = thing_ids(frame, ["k"], "round_id", "v")
    assert labels.nunique() == 4 and labels[0] == labels[1] != labels[2] == labels[3] and labels[4] != labels[5]
