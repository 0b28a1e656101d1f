"""Positions and outcomes: each row gets the round it belongs to, and each round a summary of its outcomes."""
from __future__ import annotations

from collections import defaultdict

import pandas as pd

LINK_COLUMNS = ["article_id", "sentence_id", "start", "outcome_type", "round_id"]  # what assign_rounds reads of rows
STATUS_ORDER = ("agreed", "implemented", "proposed", "rejected")


def assign_rounds(rows: pd.DataFrame, round_mentions: pd.DataFrame) -> pd.DataFrame:
    """Fill `round_id`: the round named in the same sentence, else the nearest earlier one in the
    article, else the article's main round (its most mentioned). Planned rounds are skipped: what is
    agreed or demanded belongs to the round where it was said, not to the one announced. A further
    round ('will meet again') follows the round the article reports, never an earlier one it recalls
    in passing, so next_round outcomes skip the nearest-earlier step."""
    out = rows.copy()
    if "round_id" not in out:
        out["round_id"] = None
    if round_mentions is None or round_mentions.empty or out.empty:
        return out
    rm = round_mentions
    if "tense" in rm:
        rm = rm[rm["tense"] != "planned"]
    rm = rm.loc[rm["round_id"].notna(), ["article_id", "sentence_id", "start", "round_id"]].sort_values("start")
    if rm.empty:
        return out
    keys = out[["article_id", "sentence_id", "start"]].reset_index(drop=True).assign(_row=range(len(out)))
    same = keys.merge(rm.drop_duplicates(["article_id", "sentence_id"])[["article_id", "sentence_id", "round_id"]],
                      on=["article_id", "sentence_id"], how="left").set_index("_row")["round_id"]
    earlier = pd.merge_asof(keys.sort_values("start"), rm[["article_id", "start", "round_id"]],
                            on="start", by="article_id", direction="backward").set_index("_row")["round_id"]
    if "outcome_type" in out:
        earlier = earlier.where(~pd.Series(out["outcome_type"].to_numpy() == "next_round").reindex(earlier.index))
    counts = rm.groupby(["article_id", "round_id"], as_index=False).agg(n=("start", "size"), first=("start", "min"))
    main = counts.sort_values(["n", "first"], ascending=[False, True]).drop_duplicates("article_id")
    main = keys.merge(main[["article_id", "round_id"]], on="article_id", how="left").set_index("_row")["round_id"]
    own = pd.Series(out["round_id"].to_numpy(), index=range(len(out)))
    chosen = same.sort_index().combine_first(earlier.sort_index()).combine_first(main.sort_index()).combine_first(own)
    out["round_id"] = chosen.astype(object).where(chosen.notna(), None).to_numpy()
    return out


def summarize_outcomes(rounds: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Fill `outcome`: 'agreed: prisoner_exchange (1000), bodies_return; rejected: ceasefire'."""
    out = rounds.copy()
    if outcomes is None or outcomes.empty:
        return out
    # One pass over the linked outcomes: round -> status -> {outcome type: label}, in the order they come.
    by_round: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    linked = outcomes[outcomes["round_id"].notna() & outcomes["status"].notna()]
    for rid, status, kind, q in zip(linked["round_id"], linked["status"], linked["outcome_type"], linked["quantity"]):
        label = kind
        if q is not None and not pd.isna(q):
            label += f" ({int(q) if float(q).is_integer() else float(q)})"
        items = by_round[rid][status]
        if kind not in items or "(" in label:
            items[kind] = label
    texts = {}
    for rid in outcomes.loc[outcomes["round_id"].notna(), "round_id"].unique():
        statuses = by_round.get(rid, {})
        order = STATUS_ORDER + tuple(sorted(set(statuses) - set(STATUS_ORDER)))
        parts = [f"{status}: " + ", ".join(statuses[status].values()) for status in order if statuses.get(status)]
        texts[rid] = "; ".join(parts) or None
    out["outcome"] = [texts.get(rid, cur) for rid, cur in zip(out["round_id"], out["outcome"])]
    return out
