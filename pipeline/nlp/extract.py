"""Run every per-article extractor over one spaCy parse per article; collect rows per table."""
from __future__ import annotations

import functools
import importlib
import logging
import os
import traceback
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from pipeline.nlp import copies
from pipeline.nlp.cache import ExtractionCache, cache_key
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp import progress, workers
from pipeline.nlp.parse import BATCH_SIZE
from pipeline.publish.arrow import read_frame
from pipeline.publish.integrity import conformed
from pipeline.nlp.round_mention_columns import COLUMNS as ROUND_MENTION_COLUMNS
from schemas import schema_for

#: The extractors, imported on first use (module attributes of this module once imported, so tests can replace
#: them): a build's main process hands every parse to workers and never needs them, nor the spaCy they import.
EXTRACTORS = {"extract_claims": "pipeline.nlp.claims", "extract_dates": "pipeline.nlp.dates",
              "extract_mentions": "pipeline.nlp.mentions", "extract_outcomes": "pipeline.nlp.outcomes",
              "extract_positions": "pipeline.nlp.positions", "extract_quotes": "pipeline.nlp.quotes",
              "extract_roles": "pipeline.nlp.roles", "extract_round_mentions": "pipeline.nlp.round_mentions"}


def __getattr__(name: str):
    """An extractor named in EXTRACTORS, imported now and kept as an attribute of this module (PEP 562)."""
    if name not in EXTRACTORS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(importlib.import_module(EXTRACTORS[name]), name)
    return value


def _import_extractors() -> None:
    for name in EXTRACTORS:
        if name not in globals():
            __getattr__(name)

# The per-article tables released as extracted, each framed with its schema's columns (the codebook's).
TABLES = ("sentences", "dates", "claims", "actor_mentions", "roles", "quotes", "extraction_errors")
# Per-article candidates that the cross-article step links to rounds before they are released.
CANDIDATES = {
    "round_mention_candidates": ROUND_MENTION_COLUMNS,
    "position_candidates": list(schema_for("positions").to_schema().columns),
    "outcome_candidates": list(schema_for("outcomes").to_schema().columns),
}
COLUMNS = {**{table: list(schema_for(table).to_schema().columns) for table in TABLES}, **CANDIDATES}
TASK_ARTICLES = 100
# Below this many articles to parse, starting extra spaCy processes costs more than it saves: a worker's start
# (imports and the model) takes ~2 s, the parse of ~10 articles (100 new articles at 10k: 21.7 s in one process,
# 12.8 s shared between two workers).
PARALLEL_FROM = 40


MESSAGE_CHARS = 500
log = logging.getLogger(__name__)


def extract_article(parsed: ParsedArticle) -> dict[str, list[dict]]:
    """Every per-article table's rows for one parsed article; or, when an extractor raises, one extraction_errors
    row and nothing else, so that no table holds part of the article and the build goes on with the others."""
    try:
        return _article_rows(parsed)
    except MemoryError:
        raise
    except Exception as exc:  # recorded, never swallowed: a row of extraction_errors and the traceback in the log
        stage = _stage(exc)
        log.warning("extraction of %s failed in %s", parsed.article_id, stage, exc_info=exc)
        return {"extraction_errors": [{"article_id": parsed.article_id, "stage": stage,
                                       "error_type": type(exc).__name__, "message": str(exc)[:MESSAGE_CHARS]}]}


def _stage(exc: BaseException) -> str:
    """module.function of the extractor the error came from: the first frame of the traceback outside this
    module (extractors added to _article_rows are named without being wrapped)."""
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() != Path(__file__).resolve():
            return f"{Path(frame.filename).stem}.{frame.name}"
    return f"extract.{traceback.extract_tb(exc.__traceback__)[-1].name}"


def _article_rows(parsed: ParsedArticle) -> dict[str, list[dict]]:
    """Mentions come first: roles, quotes and positions find their people, speakers and sides among them."""
    _import_extractors()
    mentions = extract_mentions(parsed)
    roles = extract_roles(parsed, mentions)
    dates = extract_dates(parsed)
    tables = {
        # a Sentence's fields as they are: asdict() deep-copies every value of every sentence
        "sentences": [{"article_id": parsed.article_id, **vars(s)} for s in parsed.sentences],
        "dates": dates,
        "claims": extract_claims(parsed),
        "actor_mentions": mentions,
        "roles": roles,
        "quotes": extract_quotes(parsed, mentions, roles),
        "round_mention_candidates": extract_round_mentions(parsed, dates, mentions, roles),
        "outcome_candidates": extract_outcomes(parsed, mentions),
    }
    # positions read who speaks a quotation ("'We agreed ...,' X said") and the offices of people
    tables["position_candidates"] = extract_positions(parsed, mentions, roles, tables["quotes"])
    return tables


def frame(table: str, rows: Iterable[dict]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS[table])


def default_processes(n_articles: int) -> int:
    return 1 if n_articles < PARALLEL_FROM else max(1, min(4, os.cpu_count() or 1))


def extract_batch(items: list[tuple[str, str, object]], batch_size: int = BATCH_SIZE,
                  share_copies: bool = True) -> dict[str, pd.DataFrame]:
    """Parse and extract one batch of (article_id, text, published_date) in this process; with `share_copies`,
    copies of a text are parsed once (nlp/copies.py)."""
    rows: dict[str, list[dict]] = {table: [] for table in COLUMNS}
    for article in copies.article_rows(items, extract_article, batch_size, share_copies):
        for table, table_rows in article.items():
            rows[table].extend(table_rows)
        progress.advance()
    return {table: frame(table, table_rows) for table, table_rows in rows.items()}


def typed(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The released tables given their schemas' column types (no checks: each table is validated once, by its
    blocking schema check over the whole table); the candidates as they are."""
    return {table: conformed(table, df) if table in TABLES else df for table, df in tables.items()}


def extract_task(items: list[tuple[str, str, object]], root: str, version: str,
                 batch_size: int = BATCH_SIZE,
                 share_copies: bool = True) -> int:
    """A worker's job: parse and extract one task of articles, type the rows and write them as a cache shard.
    Only the count travels back, so the parent never holds the rows."""
    ExtractionCache(Path(root), version).save_shard(typed(extract_batch(items, batch_size, share_copies)),
                                                     [cache_key(item[0], item[2]) for item in items])
    return len(items)


def _tasks(articles: pd.DataFrame, n_process: int = 1, share_copies: bool = False) -> list[list[tuple]]:
    """Tasks of TASK_ARTICLES articles; fewer articles than that for each process are shared out evenly instead,
    so that every process has a task. With more than a task for each process the last tasks shrink (task_size), so that no worker
    parses a whole task alone at the end while the others wait. With `share_copies`, the copies of a text go in
    its first's task."""
    items = list(zip(articles["article_id"], articles["text"], articles["published_date"]))
    size = max(1, min(TASK_ARTICLES, -(-len(items) // max(1, n_process))))
    if n_process > 1 and len(items) > n_process * size:
        size = functools.partial(task_size, size, n_process)
    if share_copies:
        return copies.pack(items, size)
    tasks, start = [], 0
    while start < len(items):
        step = size(len(items) - start) if callable(size) else size
        tasks.append(items[start:start + step])
        start += step
    return tasks


#: The smallest task the tail is cut into: a task costs a shard of every table and a round trip to the pool.
TAIL_ARTICLES = 10


def task_size(largest: int, n_process: int, left: int) -> int:
    """The next task's size with `left` articles not yet in a task: `largest` while there is much left, then a
    share of what is left (guided scheduling: 1/(2 n_process) of it, at least TAIL_ARTICLES), so that the workers
    finish together."""
    return max(1, min(largest, max(TAIL_ARTICLES, -(-left // (2 * n_process)))))


def _run(job, tasks: list, n_process: int | None, pooled: bool = False) -> list:
    """The tasks' results, in this process or (with several processes, or `pooled`) in a pool of workers."""
    n_process = min(n_process or default_processes(sum(len(t) for t in tasks)), max(1, len(tasks)))
    if n_process == 1 and not pooled:
        return [job(task) for task in tasks]
    with progress.pool(n_process) as pool:  # forked warm, killed with this process (nlp/workers.py), counted
        return list(pool.imap(job, tasks))


def extract_fresh(articles: pd.DataFrame, n_process: int | None = None, batch_size: int = BATCH_SIZE,
                  share_copies: bool | None = None) -> dict[str, pd.DataFrame]:
    """{table: DataFrame} for these articles, each parsed once, in memory (for small inputs and tests).

    Articles go in tasks of TASK_ARTICLES; with several processes each worker parses AND extracts its tasks, so
    the rule-based extractors run on every core instead of queueing behind spaCy in the main process.
    `share_copies` (default: PARLEY_SHARE_COPIES, on): copies of a text parsed once (nlp/copies.py).
    """
    share = copies.enabled() if share_copies is None else share_copies
    tasks = _tasks(articles, share_copies=share)
    parts = _run(functools.partial(extract_batch, batch_size=batch_size, share_copies=share), tasks, n_process)
    tables = {table: _concat([part[table] for part in parts] or [frame(table, [])]) for table in COLUMNS}
    moved = [item[0] for task in tasks for item in task] != list(articles["article_id"])
    return copies.in_order(tables, list(articles["article_id"])) if moved else tables


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    filled = [p for p in parts if len(p)]
    return pd.concat(filled, ignore_index=True) if len(filled) > 1 else (filled or parts)[0]


def parse_missing(articles: pd.DataFrame, cache: ExtractionCache, n_process: int | None = None,
                  batch_size: int = BATCH_SIZE, share_copies: bool | None = None) -> int:
    """Parse and extract the articles the cache does not hold yet, each task written as a shard by the process
    that parsed it; the number parsed. With `share_copies` (default: PARLEY_SHARE_COPIES, on), copies of a text
    the cache holds are re-keyed from it, and the copies of a text go in one task (nlp/copies.py)."""
    share = copies.enabled() if share_copies is None else share_copies
    todo = articles[~pd.Series(_keys(articles), index=articles.index).isin(cache.done_keys())]
    todo = copies.reuse_cached(todo, cache, COLUMNS) if share and len(todo) else todo
    job = functools.partial(extract_task, root=str(cache.root), version=cache.version, batch_size=batch_size,
                            share_copies=share)
    # A started workers' server (`parley build` starts it when it expects new articles) is used for any number:
    # a worker is a fork of a process that has built the extractors' tables, where this process would build them
    # on its first article (~4 s) and keep them through the cross-article steps.
    pooled = n_process is None and len(todo) > 0 and workers.started()
    n_process = n_process or (max(1, min(4, os.cpu_count() or 1)) if pooled else default_processes(len(todo)))
    progress.start(len(todo))
    return sum(_run(job, _tasks(todo, n_process, share), n_process, pooled))


def extract_files(articles: pd.DataFrame, cache: ExtractionCache, n_process: int | None = None,
                  batch_size: int = BATCH_SIZE, share_copies: bool | None = None) -> tuple[dict[str, Path], int]:
    """({table: Parquet file with the rows of exactly these articles, in their order}, number parsed now).

    Only articles not parsed before are parsed; the rest are read from the cache, with pyarrow (the rows are never
    held as Python objects here)."""
    parsed = parse_missing(articles, cache, n_process, batch_size, share_copies)
    return cache.compact(COLUMNS, _keys(articles)), parsed


def _keys(articles: pd.DataFrame) -> list[str]:
    return [cache_key(aid, day) for aid, day in zip(articles["article_id"], articles["published_date"])]


def extract_corpus(articles: pd.DataFrame, cache: ExtractionCache | None = None, n_process: int | None = None,
                   batch_size: int = BATCH_SIZE, share_copies: bool | None = None) -> dict[str, pd.DataFrame]:
    """{table: DataFrame} over all articles; with a cache, only articles not parsed before are parsed now."""
    if cache is None:
        return typed(extract_fresh(articles, n_process, batch_size, share_copies))
    files, _ = extract_files(articles, cache, n_process, batch_size, share_copies)
    return {table: read_frame(path) for table, path in files.items()}
