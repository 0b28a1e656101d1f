"""Syndicated copies: articles with the same cleaned text are parsed once.

Wire copy republished by several outlets reaches ingest as articles with one cleaned text and ids of their own
(ingest/articles.py: a later copy gets `duplicate_of` and an id hashed from text, file and record). The spaCy parse
depends only on the text, and the extractors read only the parse, the article id and the publication date (no
title, no publisher: nlp/document.py's ParsedArticle holds nothing else). So, per distinct text:

- the text is parsed once (a pristine copy of the Doc is kept while copies remain: extractors memoise in
  `doc.user_data` and set token attributes, and a copy must start from the parse as the original did);
- a copy with the original's publication date gets the original's rows re-keyed: `article_id` replaced and every
  id made from it re-made (`DERIVED`); each id is first re-made from the ORIGINAL's id and checked against the row,
  so a recipe an extractor changes, an unknown id column or the old id anywhere else in a row stops the re-keying
  and the copy is extracted instead;
- a copy with another date is extracted again (relative dates, dated role affiliations) on the shared parse.

Copies already in the extraction cache under the original's key are re-keyed from the cache (`reuse_cached`), so
a re-run with new copies of parsed texts parses nothing. Near copies whose text differs (a header or footer line
added) are not shortcut: the parse of a paragraph depends on its neighbours (tok2vec's window and the parser run
across paragraph breaks) and several extractors read the whole article, so their rows cannot be derived exactly.

PARLEY_SHARE_COPIES=0 switches the shortcut off (every article parsed and extracted on its own), for comparison.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ids import stable_id
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.parse import BATCH_SIZE, parse_articles
from pipeline.nlp.sentences import split_sentences

ENV = "PARLEY_SHARE_COPIES"
#: id column -> (stable_id prefix, the row's columns hashed after the article id), as the extractors make them
#: (dates.py, claims.py, quotes.py, round_mentions.py, outcomes.py, positions.py).
DERIVED = {
    "date_id": ("date", ("start", "end")),
    "claim_id": ("claim", ("start", "end")),
    "quote_id": ("quote", ("start", "end")),
    "mention_id": ("rm", ("start", "end")),
    "outcome_id": ("outcome", ("start", "end", "outcome_type", "status")),
    "position_id": ("position", ("start", "end", "issue", "stance", "actor_id")),
}
#: ids written as "<article_id>-s0003" / "<article_id>-p001" (sentences.py)
PREFIXED = ("sentence_id", "paragraph_id")
#: id columns that name no article (actors, rounds): copied as they are
FOREIGN = ("actor_id", "speaker_actor_id", "round_id")

Item = tuple  # (article_id, text, published_date)
Rows = dict  # table -> list of row dicts, as extract_article gives them


def enabled() -> bool:
    """PARLEY_SHARE_COPIES: on unless set to 0/false/no/off."""
    raw = os.environ.get(ENV, "").strip().lower()
    if raw in ("", "1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{ENV} must be 1 or 0 (true/false, yes/no, on/off), not {raw!r}")


def text_id(text: str) -> str:
    """The id ingest gives the first article with this cleaned text (ingest/articles.py)."""
    return stable_id("art", text)


def _same_date(a, b) -> bool:
    missing_a, missing_b = (x is None or (not isinstance(x, str) and pd.isna(x)) for x in (a, b))
    return missing_a and missing_b or not (missing_a or missing_b) and type(a) is type(b) and a == b


# -- re-keying -------------------------------------------------------------------------------------------------

def _mentions(value, old: str) -> bool:
    if isinstance(value, str):
        return old in value
    if isinstance(value, (list, tuple)):
        return any(_mentions(v, old) for v in value)
    return False


def rekey_row(row: dict, old: str, new: str) -> dict | None:
    """The row of article `old` as article `new`'s, or None when it cannot be re-keyed exactly."""
    out = dict(row)
    for column, value in row.items():
        if column == "article_id":
            if value != old:
                return None
            out[column] = new
        elif column in DERIVED:
            prefix, parts = DERIVED[column]
            fields = [row.get(part) for part in parts]
            if any(part not in row for part in parts) or value != stable_id(prefix, old, *fields):
                return None  # the recipe is not how this id was made: do not guess
            out[column] = stable_id(prefix, new, *fields)
        elif column in PREFIXED:
            if value is not None:
                if not (isinstance(value, str) and value.startswith(f"{old}-")) or old in value[len(old):]:
                    return None
                out[column] = new + value[len(old):]
        elif column.endswith("_id") and column not in FOREIGN or _mentions(value, old):
            return None  # an id or a value made from the article id in a way not known here
    return out


def rekey(rows: Rows, old: str, new: str) -> Rows | None:
    """Article `old`'s rows of every table as article `new`'s; None when any row cannot be re-keyed exactly, or
    the extraction failed (an error's message is the original's)."""
    if rows.get("extraction_errors"):
        return None
    out = {}
    for table, table_rows in rows.items():
        moved = [rekey_row(row, old, new) for row in table_rows]
        if any(row is None for row in moved):
            return None
        out[table] = moved
    return out


# -- one parse per text ----------------------------------------------------------------------------------------

def _groups(items: list[Item]) -> list[list[int]]:
    """Indices of the items, grouped by text, groups in order of first appearance."""
    by_text: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        by_text.setdefault(item[1], []).append(i)
    return list(by_text.values())


def pack(items: list[Item], size: int | Callable[[int], int]) -> list[list[Item]]:
    """Tasks of about `size` items in which every copy of a text is in its text's task: groups in order of first
    appearance, a task closed before a group that would take it over `size`. Without copies these are the slices
    items[0:size], items[size:2 size], ... `size` may be a function of the number of items not yet in a task,
    asked as each task opens."""
    size_of = size if callable(size) else (lambda _left: size)
    tasks: list[list[Item]] = [[]]
    limit, placed = size_of(len(items)), 0
    for group in _groups(items):
        if tasks[-1] and len(tasks[-1]) + len(group) > limit:
            placed += len(tasks[-1])
            tasks.append([])
            limit = size_of(len(items) - placed)
        tasks[-1].extend(items[i] for i in group)
    return [task for task in tasks if task]


def _group_rows(parsed: ParsedArticle, copies: list[Item], extract: Callable[[ParsedArticle], Rows]) -> list[Rows]:
    """Rows of the parsed original and of each copy of its text."""
    pristine = parsed.doc.copy() if copies else None  # before any extractor memoises in the doc
    extracted = [(parsed.article_id, parsed.published_date, extract(parsed))]
    out = [extracted[0][2]]
    for article_id, text, published in copies:
        rows = next((moved for source, day, source_rows in extracted if _same_date(day, published)
                     and (moved := rekey(source_rows, source, article_id)) is not None), None)
        if rows is None:
            doc = pristine.copy()
            rows = extract(ParsedArticle(article_id, text, published, doc, split_sentences(article_id, text, doc)))
            extracted.append((article_id, published, rows))
        out.append(rows)
    return out


def article_rows(items: Iterable[Item], extract: Callable[[ParsedArticle], Rows], batch_size: int = BATCH_SIZE,
                 share: bool = True) -> Iterator[Rows]:
    """Each item's rows, in the items' order; with `share`, each distinct text parsed once."""
    if not share:
        for parsed in parse_articles(items, batch_size=batch_size):
            yield extract(parsed)
        return
    items = list(items)
    groups = _groups(items)
    ready: dict[int, Rows] = {}
    turn = 0
    parsed_texts = parse_articles((items[group[0]] for group in groups), batch_size=batch_size)
    for parsed, group in zip(parsed_texts, groups):
        ready.update(zip(group, _group_rows(parsed, [items[i] for i in group[1:]], extract)))
        while turn in ready:  # copies are next to their original in packed tasks: little is held back
            yield ready.pop(turn)
            turn += 1


def in_order(tables: dict[str, pd.DataFrame], article_ids: list[str]) -> dict[str, pd.DataFrame]:
    """Tables whose articles came in another order put back in `article_ids`' order (one article's rows keep
    theirs)."""
    rank = {aid: i for i, aid in enumerate(article_ids)}
    out = {}
    for table, df in tables.items():
        order = df["article_id"].map(rank).to_numpy().argsort(kind="stable")
        out[table] = df.iloc[order].reset_index(drop=True)
    return out


# -- copies of texts already in the extraction cache ----------------------------------------------------------

def _rekey_arrow(table: pa.Table, old: str, new: str) -> pa.Table | None:
    """`table`'s rows of article `old` as article `new`'s, typed as they were; None when not exactly possible."""
    rows = table.to_pylist()
    moved = [rekey_row(row, old, new) for row in rows]
    if any(row is None for row in moved):
        return None
    for column in table.column_names:
        if column == "article_id" or column in DERIVED or column in PREFIXED:
            field = table.schema.field(column)
            table = table.set_column(table.schema.get_field_index(column), field,
                                     pa.array([row[column] for row in moved], type=field.type))
    return table


def reuse_cached(todo: pd.DataFrame, cache, columns: dict[str, list[str]]) -> pd.DataFrame:
    """Write a shard re-keying the cached rows of every article in `todo` whose text and date the cache holds
    under the text's original id; the articles left to parse."""
    from pipeline.nlp.cache import cache_key
    done = cache.done_keys()
    targets = []  # (index in todo, source key, source id, own key, own id)
    for index, aid, text, day in zip(todo.index, todo["article_id"], todo["text"], todo["published_date"]):
        source = cache_key(text_id(text), day)
        if source in done and source != cache_key(aid, day):
            targets.append((index, source, text_id(text), cache_key(aid, day), aid))
    if not targets:
        return todo
    cached = {table: cache.table(table, sorted({t[1] for t in targets}), names) for table, names in columns.items()}
    if cached.get("extraction_errors") is not None and cached["extraction_errors"].num_rows:
        failed = set(cached["extraction_errors"].column("article_id").to_pylist())
        targets = [t for t in targets if t[2] not in failed]
    parts: dict[str, list[pa.Table]] = {table: [] for table in columns}
    reused, keys = [], []
    for index, _, source_id, key, aid in targets:
        moved = {}
        for table, data in cached.items():
            mine = data.filter(pc.equal(data.column("article_id"), source_id)) if data.num_rows else data
            moved[table] = _rekey_arrow(mine, source_id, aid)
            if moved[table] is None:
                break
        else:
            for table, data in moved.items():
                parts[table].append(data)
            reused.append(index)
            keys.append(key)
    if reused:
        cache.save_shard({table: pa.concat_tables(p) for table, p in parts.items()}, keys)
    return todo.drop(index=reused)
