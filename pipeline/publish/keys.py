"""How the tables fit together: each table's stable id and the columns that point into other tables.

One place for the asset checks (referential integrity), the data package (primaryKey, foreignKeys) and
the release diff (which rows are "the same row" in two releases).
"""
from __future__ import annotations

# table -> the column holding its own content-derived id. A table not listed here has no id of its own
# (mentions, roles, rejected_inputs) and is compared row by row.
ID_COLUMNS = {
    "articles": "article_id",
    "sentences": "sentence_id",
    "actors": "actor_id",
    "quotes": "quote_id",
    "claims": "claim_id",
    "dates": "date_id",
    "rounds": "round_id",
    "positions": "position_id",
    "outcomes": "outcome_id",
    "facts": "fact_id",
}

# column -> (parent table, parent key). List-valued columns (article_ids, delegation_heads) hold several.
REFERENCES = {
    "article_id": ("articles", "article_id"),
    "duplicate_of": ("articles", "article_id"),
    "article_ids": ("articles", "article_id"),
    "sentence_id": ("sentences", "sentence_id"),
    "actor_id": ("actors", "actor_id"),
    "speaker_actor_id": ("actors", "actor_id"),
    "subject_actor_id": ("actors", "actor_id"),
    "delegation_heads": ("actors", "actor_id"),
    "round_id": ("rounds", "round_id"),
    "fact_id": ("facts", "fact_id"),
}


def references(table: str, columns, tables) -> dict[str, tuple[str, str]]:
    """The columns of `table` that point into another table present in `tables` (its own id is not one)."""
    return {column: (parent, key) for column, (parent, key) in REFERENCES.items()
            if column in columns and parent in tables and (table, column) != (parent, key)}
