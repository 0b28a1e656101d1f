"""The faster forms of round resolution return what the plain forms returned: clustering (rounds looked up by the
months of their days, rounds no later day continues skipped), joining by parties (rounds looked up by party), the
kept mentions stored without their None values, and the cache key's row tuples. The plain forms are written out
here as they were before, and compared on made-up mentions that hypothesis draws."""
import copy
from datetime import date, timedelta
from unittest import mock

import pandas as pd
from hypothesis import given, settings, strategies as st

from pipeline.resolve import round_clusters as rc
from pipeline.resolve.records import column_values, records, row_tuples
from pipeline.resolve.round_context import as_int, as_list, mention_day
from pipeline.resolve.rounds import ALWAYS, KEPT_KEYS, _kept, _kept_names


class _PlainRounds(rc._Rounds):
    """`near` and `undated` as they were: every round of the place tested, in making order."""

    next_to = rc._Rounds.near  # the plain walk asked `near` for dated mentions too

    def undated(self, m, c):
        city, own, info = m.get("city"), set(as_list(m.get("parties"))), self.info
        rounds = [rid for rid in self.at[rc._place_key(m)]
                  if (not city or not info[rid]["cities"] or city in info[rid]["cities"])
                  and (not own or not info[rid]["parties"] or bool(own & info[rid]["parties"]))]
        pub = c["pub"] or c["estimated"]
        month, year = as_int(m, "month"), as_int(m, "year") or (pub.year if pub else None)
        if month and year:
            return next((rid for rid in rounds if any((d.year, d.month) == (year, month) for d in
                                                      (self.info[rid]["first"], self.info[rid]["last"]))), None)
        own = [rid for rid in rounds if m["article_id"] in self.info[rid]["articles"]]
        if own:
            return min(own, key=lambda rid: abs((self.info[rid]["first"] - pub).days) if pub else 0)
        if pub:
            recent = [rid for rid in rounds if self.info[rid]["first"] <= pub + rc.JOIN
                      and (pub - self.info[rid]["last"]).days <= rc.RECENT_DAYS]
            return max(recent, key=lambda rid: self.info[rid]["first"], default=None)
        return None


def _plain_cluster(ms, ctx):
    """`cluster` as it was: the same walk over the mentions, with every round of the place tried for a dated mention
    (`near`, where the fast form asks `next_to`) and the plain `undated`."""
    with mock.patch.object(rc, "_Rounds", _PlainRounds):
        return rc.cluster(ms, ctx)


def _plain_join(ms, ctx, new):
    for m in ms:
        if not rc.may_join(m) or (day := mention_day(m, ctx[m["article_id"]])) is None:
            continue
        fits = [rid for rid, r in new.items() if r["date_start"] and r["date_start"] - rc.JOIN <= day <= r["date_end"] + rc.JOIN
                and set(as_list(m.get("parties"))) & set(r["parties"])]
        if len(fits) == 1:
            m["round_id"] = fits[0]


START = date(2024, 1, 1)
days = st.integers(0, 45).map(lambda n: START + timedelta(days=n))
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
mentions = st.fixed_dictionaries({
    "article_id": st.sampled_from(["a1", "a2", "a3", "a4", "a5"]), "round_id": st.just(None), "_new": st.sampled_from([True, True, True, False]),
    "_tied": st.just([]), "link_score": st.just(None), "kind": st.sampled_from(["round", "round", "round", "talks"]),
    "reference": st.sampled_from([None, None, None, "previous", "latest"]),
    "tense": st.sampled_from(["past", "past", "past", "planned"]),
    "country": maybe(st.sampled_from(["QAT", "CHE", "KEN"])), "city": maybe(st.sampled_from(["Doha", "Geneva", "Nairobi"])),
    "venue": st.none(), "region": st.none(), "parties": st.lists(st.sampled_from(["ISR", "PSE", "USA"]), max_size=2),
    "date_start": maybe(days), "date_end": maybe(days), "date_precision": st.sampled_from([None, "day", "month"]),
    "month": maybe(st.integers(1, 2)), "year": maybe(st.just(2024)), "day": maybe(st.integers(1, 28)),
    "weekday": maybe(st.integers(0, 6)), "definiteness": st.sampled_from(["bare", "definite"]),
    "delegation_heads": st.lists(st.sampled_from(["h1", "h2"]), max_size=1)})
contexts = st.fixed_dictionaries({a: st.fixed_dictionaries({"pub": maybe(days), "estimated": maybe(days),
                                                             "story_day": maybe(days)})
                                  for a in ["a1", "a2", "a3", "a4", "a5"]})


def _outcome(ms, members):
    return ({rid: [ms.index(m) for m in group] for rid, group in members.items()},
            [(m["round_id"], m.get("_day")) for m in ms])


@settings(max_examples=600, deadline=None)
@given(st.lists(mentions, max_size=60), contexts)
def test_clustering_and_joining_by_parties_give_what_the_plain_forms_gave(ms, ctx):
    plain, fast = copy.deepcopy(ms), copy.deepcopy(ms)
    plain_members, fast_members = _plain_cluster(plain, ctx), rc.cluster(fast, ctx)
    assert _outcome(plain, plain_members) == _outcome(fast, fast_members)
    new = {rid: rc.new_round(rid, group, ctx) for rid, group in fast_members.items()}
    _plain_join(plain, ctx, new)
    rc.join_by_parties(fast, ctx, new)
    assert [m["round_id"] for m in plain] == [m["round_id"] for m in fast]


@given(mentions, st.sampled_from(range(len(KEPT_KEYS))))
def test_a_kept_mention_reads_as_the_full_one(m, which):
    full = {k: m.get(k) for k in KEPT_KEYS[which]}
    mask, values = _kept(which, m)
    kept = dict(zip(_kept_names(which, mask), values))
    assert all(kept.get(k) == v for k, v in full.items()) and ALWAYS & set(full) <= set(kept)
    assert all(v is not None for k, v in kept.items() if k not in ALWAYS)


def test_row_tuples_are_the_records_values_and_missing_values_are_none():
    df = pd.DataFrame({"article_id": ["a1", "a2", None], "n": [1.0, float("nan"), 3.0], "d": [date(2024, 1, 2), None, None],
                       "l": [["x"], [], None], "i": [1, 2, 3]})
    assert [tuple(r.values()) for r in records(df)] == row_tuples(df)
    assert row_tuples(df)[1] == ("a2", None, None, [], 2) and column_values(df)[0] == ["a1", "a2", None]
    assert row_tuples(df.head(0)) == [] and records(df.head(0)) == []


@given(st.lists(days, min_size=1, max_size=5), days, st.integers(1, 12), st.integers(1, 31), maybe(st.just(2024)),
       st.integers(0, 6))
def test_a_known_rounds_day_sets_answer_as_testing_each_day(round_days_, start, month, day, year, weekday):
    from pipeline.resolve.round_scoring import Known, _covers
    first, last = min(round_days_), max(round_days_)
    k = Known({"id": "r", "date_start": first, "date_end": last})
    every = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert list(k.days) == every
    assert (start in k.near) == any(abs((d - start).days) <= 1 for d in every)
    assert (((month, day) in k.md) if year is None else ((year, month, day) in k.ymd)) == \
        any(d.month == month and d.day == day and (year is None or d.year == year) for d in every)
    assert ((2024, month) in k.ym) == any(d.month == month and d.year == 2024 for d in every)
    assert (weekday in k.weekdays) == any(d.weekday() == weekday for d in every)
    assert _covers(k, {start}) == any(abs((d - start).days) <= 1 for d in every)
    assert _covers(Known({"id": "u", "date_start": None, "date_end": None}), {start})


def test_linking_reads_no_unread_column():
    """Linking without the ids, offsets and date texts gives the same rounds, links and estimates."""
    from pipeline.resolve.rounds import UNREAD, link_rounds
    from tests.test_rounds import NO_DATES, NO_ROLES, articles, mention
    rows = [mention("a1", 0, city="Geneva", country="CHE", date_start=date(2024, 3, 12), date_precision="day"),
            mention("a1", 1, definiteness="definite", date_text="on Tuesday", weekday=1),
            mention("a2", 0, city="Doha", country="QAT", parties=["ISR", "PSE"], date_text="in March", month=3),
            mention("a2", 1, city="Doha", country="QAT", month=3, year=2024, ordinal=2),
            mention("a3", 0, definiteness="definite", weekday=2, parties=["ISR"], date_precision="day",
                    date_start=date(2024, 3, 13)),
            mention("a3", 1, reference="previous", definiteness="definite", ordinal=1),
            mention("a4", 0, city="Nairobi", tense="planned", date_start=date(2024, 4, 2), date_precision="day")]
    arts = articles("a1", "a2", "a3", "a4", published=None, publishers=["Wire", "Desk", None, "Wire"])
    full = pd.DataFrame(rows).assign(mention_id=lambda d: d["mention_id"] + "x", start=range(len(rows)))
    a = link_rounds([full], arts, NO_ROLES, NO_DATES)
    b = link_rounds([full.drop(columns=[c for c in UNREAD if c in full])], arts, NO_ROLES, NO_DATES)
    assert any(a.round_ids) and a.round_ids == b.round_ids and a.link_scores == b.link_scores
    pd.testing.assert_frame_equal(a.rounds, b.rounds)
    pd.testing.assert_frame_equal(a.estimates, b.estimates)


@given(mentions, maybe(st.sampled_from(["", "online", "phone", "unknown"])), maybe(st.sampled_from([0, 2, ""])))
def test_place_and_anchor_tests_are_the_any_forms(m, fmt, ordinal):
    from pipeline.resolve.round_context import has_place, own_anchors
    m = dict(m, format=fmt, ordinal=ordinal)
    assert has_place(m) is any(m.get(k) for k in ("venue", "city", "region", "country"))
    assert own_anchors(m) is (any(m.get(k) for k in ("venue", "city", "region", "country", "ordinal", "month",
                                                     "date_start")) or m.get("format") in ("online", "phone"))
