"""Benchmark: near-duplicate detection and fact building on synthetic corpora of growing size.

    python bench/bench_dedup.py [N ...]        (default: 1000 20000)

Every size is generated from a fixed seed and timed in the same process; actors, rounds and quotes
grow with N so the work per article stays comparable. A per-article time ratio (largest / smallest)
near 1 means near-linear growth.
"""
from __future__ import annotations

import sys
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd

from pipeline.resolve.facts import build_facts
from pipeline.resolve.near_duplicates import find_near_duplicates

SEED = 7
VOCAB = np.array([f"w{i}" for i in range(5000)])
ISSUES = ["ceasefire", "neutrality", "prisoner_exchange", "security_guarantees", "territory", "sanctions"]
STANCES = ["demand", "proposal", "offer", "acceptance", "refusal"]
SIDES = ["RUS", "UKR", "TUR", "USA"]


def paragraph(rng: np.random.Generator) -> str:
    return " ".join(rng.choice(VOCAB, rng.integers(40, 70)))


def make_articles(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """n articles: ~10 % near copies (one paragraph added), ~5 % exact copies already marked."""
    rows = []
    for i in range(n):
        aid = f"art-{i:06d}"
        day = date(2022, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
        kind = rng.random() if rows else 1.0
        if kind < 0.05:
            source = rows[rng.integers(len(rows))]
            rows.append({**source, "article_id": aid, "duplicate_of": source["article_id"]})
            continue
        if kind < 0.15:
            source = rows[rng.integers(len(rows))]
            text = source["text"] + "\n" + paragraph(rng)
        else:
            text = "\n".join(paragraph(rng) for _ in range(rng.integers(5, 9)))
        rows.append({"article_id": aid, "text": text, "title": aid, "published_date": day, "duplicate_of": None,
                     "publisher": None if rng.random() < 0.1 else f"pub-{rng.integers(50)}"})
    return pd.DataFrame(rows)


def make_tables(articles: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Fact rows per article drawn from pools that scale with the corpus."""
    n = len(articles)
    actors = np.array([f"act-{i}" for i in range(max(20, n // 10))])
    rounds = np.array([f"round-{i}" for i in range(max(5, n // 50))])
    quote_pool = {a: [" ".join(rng.choice(VOCAB, rng.integers(6, 15))) for _ in range(10)] for a in actors}

    def frame(per_article: int, id_column: str | None = None, **columns) -> pd.DataFrame:
        size = n * per_article
        ids = np.repeat(articles["article_id"].to_numpy(), per_article)
        start = rng.integers(0, 2000, size)
        base = pd.DataFrame({"article_id": ids, "sentence_id": ids + "-s" + (start // 100).astype(str),
                             "start": start, "end": start + 40})
        if id_column:
            base[id_column] = [f"{id_column}-{i}" for i in range(size)]
        return base.assign(**{k: v(size) if callable(v) else v for k, v in columns.items()})

    roles = frame(2, actor_id=lambda k: rng.choice(actors, k), role=lambda k: rng.choice(
        ["head of delegation", "delegation head", "negotiator", "foreign minister"], k),
        affiliation=lambda k: rng.choice(SIDES, k))
    positions = frame(2, "position_id", round_id=lambda k: rng.choice(rounds, k), actor_id=lambda k: rng.choice(actors, k),
                      side=lambda k: rng.choice(SIDES, k), stance=lambda k: rng.choice(STANCES, k),
                      issue=lambda k: rng.choice(ISSUES, k))
    outcomes = frame(1, "outcome_id", round_id=lambda k: rng.choice(rounds, k), outcome_type=lambda k: rng.choice(ISSUES, k),
                     status=lambda k: rng.choice(["agreed", "proposed"], k),
                     quantity=lambda k: rng.choice([86.0, 100.0, np.nan], k), quantity_unit="prisoners")
    claims = frame(2, "claim_id", value=lambda k: rng.integers(1, 5000, k).astype(float), unit="people",
                   measure=lambda k: rng.choice(["prisoners", "refugees", "casualties"], k))
    speakers = rng.choice(actors, n * 3)
    quotes = frame(3, "quote_id", speaker_actor_id=lambda k: speakers, speaker_surface="x", kind="direct", cue="said",
                   text=lambda k: [quote_pool[s][j] for s, j in zip(speakers, rng.integers(0, 10, k))])
    mentions = frame(2, round_id=lambda k: rng.choice(rounds, k), date_text="Tuesday")
    return {"roles": roles, "positions": positions, "outcomes": outcomes, "claims": claims, "quotes": quotes,
            "round_mentions": mentions}


def run(n: int) -> float:
    rng = np.random.default_rng(SEED)
    articles = make_articles(n, rng)
    tables = make_tables(articles, rng)
    began = time.perf_counter()
    articles["duplicate_of"] = find_near_duplicates(articles).to_numpy()
    dedup = time.perf_counter() - began
    facts, mentions = build_facts(articles, **tables)
    total = time.perf_counter() - began
    print(f"n={n:>6}  near-duplicates {dedup:7.2f} s  facts {total - dedup:7.2f} s  "
          f"per article {1000 * total / n:6.3f} ms  ({articles['duplicate_of'].notna().sum()} duplicates, "
          f"{len(facts)} facts, {len(mentions)} mentions)")
    return total / n


def main(sizes: list[int]) -> None:
    per_article = [run(n) for n in sizes]
    print(f"per-article time ratio n={sizes[-1]} / n={sizes[0]}: {per_article[-1] / per_article[0]:.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 20000])
