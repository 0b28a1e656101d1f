"""The round-linking cache: a re-run links only changed articles and resolves exactly what a run without it does;
an article whose mentions, date, roles or dates change is linked again, and a code change starts a fresh cache."""
from datetime import date

import pandas as pd

from pipeline.resolve import link_cache, rounds as rounds_module
from pipeline.resolve.link_cache import LinkCache
from pipeline.resolve.rounds import link_rounds
from tests.test_rounds import NO_DATES, NO_ROLES, articles, mention

ROWS = [mention("a1", 0, city="Geneva", country="CHE", date_start=date(2024, 3, 12), date_precision="day"),
        mention("a1", 1, definiteness="definite"),
        mention("a2", 0, city="Doha", country="QAT", parties=["ISR", "PSE"]),
        mention("a2", 1, city="Doha", country="QAT", month=3, year=2024),
        mention("a3", 0, definiteness="definite", weekday=2, parties=["ISR"], date_precision="day",
                date_start=date(2024, 3, 13))]
ARTS = articles("a1", "a2", "a3", published=date(2024, 3, 14), publishers=["Wire", "Desk", None])


def _linked(rows, arts, cache=None):
    return link_rounds([pd.DataFrame(rows)], arts, NO_ROLES, NO_DATES, cache=cache)


def _same(a, b):
    assert a.round_ids == b.round_ids and a.link_scores == b.link_scores
    pd.testing.assert_frame_equal(a.rounds, b.rounds)
    pd.testing.assert_frame_equal(a.estimates, b.estimates)


def _counting(monkeypatch):
    linked = []
    real = rounds_module._linked_articles

    def counted(ms, *args):
        linked.extend(dict.fromkeys(m["article_id"] for m in ms))
        return real(ms, *args)
    monkeypatch.setattr(rounds_module, "_linked_articles", counted)
    return linked


def test_a_warm_cache_links_nothing_again_and_resolves_as_without_it(tmp_path, monkeypatch):
    plain = _linked(ROWS, ARTS)
    _same(plain, _linked(ROWS, ARTS, LinkCache(tmp_path)))
    linked = _counting(monkeypatch)
    _same(plain, _linked(ROWS, ARTS, LinkCache(tmp_path)))
    assert linked == []


def test_changed_inputs_are_linked_again_and_new_articles_join_the_corpus_wide_steps(tmp_path, monkeypatch):
    _linked(ROWS, ARTS, LinkCache(tmp_path))
    rows = [dict(r) for r in ROWS] + [mention("a4", 0, city="Doha", country="QAT", date_start=date(2024, 3, 10),
                                              date_precision="day", parties=["ISR"])]
    rows[4]["parties"] = ["PSE"]  # a3's mention changed
    arts = articles("a1", "a2", "a3", "a4", published=date(2024, 3, 14), publishers=["Wire", "Other", None, None])
    linked = _counting(monkeypatch)
    got = _linked(rows, arts, LinkCache(tmp_path))
    assert sorted(linked) == ["a2", "a3", "a4"]  # a2's publisher changed; a1 came from the cache
    monkeypatch.undo()
    _same(_linked(rows, arts), got)


def test_a_code_change_starts_a_fresh_file(tmp_path, monkeypatch):
    _linked(ROWS, ARTS, LinkCache(tmp_path))
    monkeypatch.setattr(link_cache, "CODE", (*link_cache.CODE, "pipeline/cli.py"))
    linked = _counting(monkeypatch)
    _linked(ROWS, ARTS, LinkCache(tmp_path))
    assert sorted(linked) == ["a1", "a2", "a3"] and len(list(tmp_path.glob("*.pkl"))) == 2
