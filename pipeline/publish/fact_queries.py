"""Canned, read-only questions over a release's facts table (what `parley facts` prints)."""
from __future__ import annotations

from pathlib import Path

from pipeline.publish.catalog import open_release


class NoFacts(LookupError):
    pass


def top_facts(release: Path, top: int = 20, contested: bool = False, actor: str | None = None):
    """(columns, rows): the best-supported facts, optionally only conflicting ones or those about an actor.

    The actor matches, case-insensitively and as a substring, the actor's name, any alias or its actor_id.
    """
    if not (Path(release) / "facts.parquet").is_file():
        raise NoFacts(f"release {Path(release).name} has no facts table")
    has_actors = (Path(release) / "actors.parquet").is_file()
    subject = "coalesce(a.name, f.subject_actor_id)" if has_actors else "f.subject_actor_id"
    where, params = [], []
    if contested:
        where.append("f.conflict")
    if actor:
        like = f"%{actor}%"
        match = ["f.subject_actor_id ILIKE ?"]
        params.append(like)
        if has_actors:
            match += ["a.name ILIKE ?", "array_to_string(a.aliases, ' | ') ILIKE ?"]
            params += [like, like]
        where.append("(" + " OR ".join(match) + ")")
    sql = (f"SELECT f.fact_type, {subject} AS subject, f.key, f.value, f.n_mentions, f.n_articles, f.n_publishers, "
           f"f.conflict, f.fact_id FROM facts f "
           + ("LEFT JOIN actors a ON a.actor_id = f.subject_actor_id " if has_actors else "")
           + (f"WHERE {' AND '.join(where)} " if where else "")
           + "ORDER BY f.n_publishers DESC, f.n_articles DESC, f.n_mentions DESC, f.fact_id LIMIT ?")
    con = open_release(Path(release))
    try:
        cur = con.execute(sql, params + [top])
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()
