"""Issue 18: the faster fact building returns exactly what the code before it returned (tests/_facts_before.py and
tests/_fact_scopes_before.py, kept unchanged as the oracle), on made-up tables drawn by hypothesis: the things
figures are split into, the negotiations, the support counts, joined keys, claim rounds, and whole builds."""
from __future__ import annotations

import math
from datetime import date

import _fact_scopes_before as before_scopes
import _facts_before as before
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.resolve import fact_scopes, fact_support, fact_texts, facts

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ARTICLES = [f"a{i}" for i in range(6)]
ROUNDS = ["r1", "r2", "r3"]
FIGURES = [0.0, 1.0, 2.0, 2.01, 2.5, 3.0, 10.0, 12.0, 12.1, 13.0, 15.0, 100.0, 124.0, 125.0, 126.0, 1e6,
           -1.0, -1.2, -5.0, math.nan]
figures = st.one_of(st.sampled_from(FIGURES), st.floats(-1e4, 1e4), st.integers(0, 40).map(float))
maybe = lambda values: st.one_of(st.none(), st.sampled_from(values))  # noqa: E731


def same(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    else:
        pd.testing.assert_series_equal(a, b, check_exact=True)


@st.composite
def scoped_rows(draw):
    n = draw(st.integers(0, 40))
    return pd.DataFrame({
        "article_id": draw(st.lists(st.sampled_from(ARTICLES), min_size=n, max_size=n)),
        "round_id": draw(st.lists(maybe(ROUNDS), min_size=n, max_size=n)),
        "v": draw(st.lists(figures, min_size=n, max_size=n)),
        "k": draw(st.lists(maybe(["x", "y"]), min_size=n, max_size=n)),
    }, index=pd.RangeIndex(n) * 3 + 7)


@given(scoped_rows())
@SETTINGS
def test_things_are_the_old_things(frame):
    for new, old in zip(fact_scopes.thing_ids(frame, ["k"], "round_id", "v"),
                        before_scopes.thing_ids(frame, ["k"], "round_id", "v")):
        same(new, old)


@st.composite
def mentions_of_parties(draw):
    rounds = pd.DataFrame(draw(st.lists(st.fixed_dictionaries(
        {"article_id": st.sampled_from(ARTICLES), "sentence_id": st.sampled_from(["s1", "s2"]),
         "round_id": maybe(ROUNDS)}), max_size=12)), columns=["article_id", "sentence_id", "round_id"])
    actors = pd.DataFrame(draw(st.lists(st.fixed_dictionaries(
        {"article_id": st.sampled_from(ARTICLES), "country": maybe(["RUS", "UKR", "USA", "TUR", "QAT"]),
         "actor_type": maybe(["state", "organization", "media", "group"])}), max_size=40)),
        columns=["article_id", "country", "actor_type"])
    days = draw(st.lists(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 12, 31))),
                         min_size=len(ARTICLES), max_size=len(ARTICLES)))
    return rounds, actors, pd.DataFrame({"article_id": ARTICLES, "published_date": days})


@given(mentions_of_parties())
@SETTINGS
def test_negotiations_are_the_old_negotiations(tables):
    rounds, actors, articles = tables
    dates = fact_scopes.article_dates(articles)
    edges = fact_scopes.parties(actors, dates)
    old_edges = before_scopes.parties(actors, dates)
    assert sorted(map(tuple, edges.to_numpy().tolist())) == sorted(map(tuple, old_edges.to_numpy().tolist()))
    same(fact_scopes.negotiations(rounds, actors, dates), before_scopes.negotiations(rounds, actors, dates))
    same(fact_scopes.negotiations(rounds, None, None), before_scopes.negotiations(rounds, None, None))


@given(mentions_of_parties(), st.lists(st.fixed_dictionaries(
    {"article_id": st.sampled_from(ARTICLES), "sentence_id": maybe(["s1", "s2", "s3"]), "round_id": maybe(ROUNDS)}),
    max_size=10))
@SETTINGS
def test_claim_rounds_are_the_old_ones(tables, claims):
    rounds, _, _ = tables
    claims = pd.DataFrame(claims, columns=["article_id", "sentence_id", "round_id"])
    new, old = facts.claim_rounds(claims, rounds), before.claim_rounds(claims, rounds)
    assert new.isna().tolist() == old.isna().tolist() and new.dropna().tolist() == old.dropna().tolist()
    assert new.index.equals(old.index)


@given(st.lists(st.one_of(st.none(), st.just(math.nan), st.just(-0.0), st.integers(-10**6, 10**6),
                          st.floats(-1e9, 1e9, allow_nan=False), st.sampled_from([0.5, 2.5, 1e-7, 1234.5678, 3.0]))))
@SETTINGS
def test_number_texts_are_the_old_ones(figures):
    for values in (pd.to_numeric(pd.Series(figures, dtype=object), errors="coerce"),
                   pd.Series([f for f in figures if isinstance(f, int)], dtype="int64", index=range(7, 7 + sum(
                       isinstance(f, int) for f in figures)))):
        new, old = fact_texts.number_text(values), before._number_text(values)
        assert new.tolist() == old.tolist() and new.index.equals(old.index) and new.dtype == old.dtype


facet_values = st.one_of(st.none(), st.just(math.nan), st.sampled_from(["Geneva", "geneva", "", "Doha "]),
                         st.dates(date(1990, 1, 1), date(2030, 12, 31)),
                         st.sampled_from(["2024-05-03", "03/05/2024", "May 3, 2024", "not a date"]),
                         st.sampled_from([1, 1.0, 0.0, -0.0, 2.5, True]))


@given(st.lists(st.tuples(st.one_of(st.text(max_size=4), st.none()), st.integers(-10**12, 10**12),
                          st.integers(0, 10**6)), max_size=12), st.sampled_from(["int64", "int32", "uint32", "float64"]))
@SETTINGS
def test_span_ids_are_the_old_ones(spans, offsets):
    frame = pd.DataFrame(spans, columns=["article_id", "start", "end"], index=range(5, 5 + len(spans)))
    frame = frame.astype({"start": "int64" if offsets == "uint32" else offsets, "end": offsets}, errors="ignore")
    for rows in (frame, frame.dropna(subset=["article_id"])):
        new, old = fact_texts.span_ids(rows), before._span_ids(rows)
        assert new.tolist() == old.tolist() and new.index.equals(old.index) and new.dtype == old.dtype


@given(st.lists(facet_values, max_size=12), st.booleans())
@SETTINGS
@pytest.mark.filterwarnings("ignore:Could not infer format")
def test_facet_texts_are_the_old_ones(values, is_date):
    """Strings, dates or anything mixed, dates read with the format of the first one."""
    for column in (pd.Series(values, dtype=object, index=range(3, 3 + len(values))),
                   pd.Series([v for v in values if isinstance(v, str)], dtype=object),
                   pd.Series([v for v in values if isinstance(v, date) or v is None], dtype=object)):
        try:
            old = before._as_text(column, is_date)
        except (ValueError, TypeError) as exc:  # a mix to_datetime refuses: refused the same way
            try:
                fact_texts.as_text(column, is_date)
            except type(exc):
                continue
            raise AssertionError("the old function raised, the new one did not") from exc
        new = fact_texts.as_text(column, is_date)
        assert new.tolist() == old.tolist() and new.index.equals(old.index) and new.dtype == old.dtype


words = st.one_of(st.none(), st.just(math.nan), st.sampled_from(["", " ", "a", "a b", " a  b ", "b", "agreed", "x\ty"]))


@given(st.integers(1, 3).flatmap(lambda k: st.integers(0, 12).flatmap(
    lambda n: st.lists(st.lists(words, min_size=n, max_size=n), min_size=k, max_size=k))))
@SETTINGS
def test_joined_is_the_old_join(columns):
    series = [pd.Series(c, dtype=object, index=pd.RangeIndex(len(c)) + 5) for c in columns]
    same(facts._joined(series), before._joined(series))
    frame, parts = pd.DataFrame({f"c{i}": s for i, s in enumerate(series)}), [f"c{i}" for i in range(len(series))]
    if len(frame):  # (an empty table makes no mentions: its ids' dtype never reaches a row)
        same(facts._fact_ids(frame, "t", parts), before._fact_ids(frame, "t", parts))


@st.composite
def mentions(draw):
    n = draw(st.integers(1, 30))
    column = lambda values: draw(st.lists(values, min_size=n, max_size=n))  # noqa: E731
    frame = pd.DataFrame({
        "fact_type": "claim", "fact_id": column(st.sampled_from(["f1", "f2", "f3", "f0"])),
        "article_id": column(st.sampled_from([*ARTICLES, "elsewhere"])), "start": 0, "end": 1,
        "round_id": column(maybe(ROUNDS)), "subject_actor_id": column(maybe(["p", "q"])),
        "key": column(maybe(["k1", "k2"])), "value": column(maybe(["1", "2 people", "3", "10"])),
        "num": column(st.one_of(st.just(math.nan), st.sampled_from([1.0, 2.0, 2.005, 3.0, 10.0, -1.0]))),
    })
    if draw(st.booleans()):
        frame["cmp_city"] = column(maybe(["Oslo", "Doha"]))
    articles = pd.DataFrame({
        "article_id": ARTICLES, "publisher": column_of(draw, maybe(["AP", "Reuters", "AFP"])),
        "duplicate_of": column_of(draw, maybe(ARTICLES[:2])),
        "published_date": column_of(draw, st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 3, 1)))),
    })
    return frame, articles


def column_of(draw, values):
    return draw(st.lists(values, min_size=len(ARTICLES), max_size=len(ARTICLES)))


@given(mentions())
@SETTINGS
def test_support_counts_are_the_old_ones(tables):
    frame, articles = tables
    same(fact_support.aggregate(frame, articles), before.aggregate(frame, articles))


@st.composite
def corpora(draw):
    _, articles = draw(mentions())
    rounds, actors, _ = draw(mentions_of_parties())
    rounds = rounds.assign(start=range(len(rounds)), end=range(1, len(rounds) + 1),
                           city=draw(st.lists(maybe(["Oslo", "Doha"]), min_size=len(rounds), max_size=len(rounds))))
    n = draw(st.integers(0, 25))
    column = lambda values: draw(st.lists(values, min_size=n, max_size=n))  # noqa: E731
    claims = pd.DataFrame({"claim_id": [f"c{i}" for i in range(n)], "article_id": column(st.sampled_from(ARTICLES)),
                           "sentence_id": column(st.sampled_from(["s1", "s2", "s3"])), "start": range(n),
                           "end": range(1, n + 1), "value": column(figures), "unit": column(maybe(["people", "%"])),
                           "measure": column(st.sampled_from(["refugees", "dead"]))})
    outcomes = pd.DataFrame({"outcome_id": [f"o{i}" for i in range(n)], "article_id": column(st.sampled_from(ARTICLES)),
                             "start": range(n), "end": range(1, n + 1), "round_id": column(maybe(ROUNDS)),
                             "outcome_type": column(st.sampled_from(["prisoner_exchange", "ceasefire"])),
                             "status": column(maybe(["agreed", "proposed"])), "quantity": column(figures),
                             "quantity_unit": column(maybe(["prisoners"]))})
    return articles, claims, outcomes, rounds, actors


@given(corpora())
@SETTINGS
def test_whole_builds_are_the_old_builds(corpus):
    articles, claims, outcomes, round_mentions, actors = corpus
    empty = pd.DataFrame(columns=["article_id", "start", "end"])
    tables = dict(roles=empty, positions=empty, outcomes=outcomes, claims=claims, quotes=empty,
                  round_mentions=round_mentions, actor_mentions=actors)
    new_facts, new_mentions = facts.build_facts(articles, **tables)
    old_facts, old_mentions = before.build_facts(articles, **tables)
    same(new_facts, old_facts)
    same(new_mentions, old_mentions)
    # a step gives fact_parts Arrow tables read from its files: the same facts and mentions
    arrow = {name: pa.Table.from_pandas(frame, preserve_index=False) for name, frame in tables.items()}
    parts = list(facts.fact_parts(articles, lambda name, columns: arrow[name].select(
        [c for c in columns if c in arrow[name].column_names]), None))
    if parts:
        same(facts.sorted_facts([f for f, _ in parts]), new_facts)
        same(pd.concat([m for _, m in parts], ignore_index=True).sort_values(facts.MENTION_ORDER, ignore_index=True),
             new_mentions)
