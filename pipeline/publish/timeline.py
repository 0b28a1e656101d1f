"""timeline.png: the negotiation rounds on a time axis (place label, marker size = sources, outcome text)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

TIMELINE = "timeline.png"
# No "Software" (matplotlib version) chunk in the PNG, so the same rounds give the same bytes.
PNG_METADATA = {"Software": None}
OUTCOME_CHARS = 60
# Label offsets (points) taken in turn: above, below, further above, further below, so rounds close in time
# (talks days apart, years apart from the next cluster) keep readable labels.
LABEL_OFFSETS = [24, -24, 90, -90]
#: At most this many rounds are drawn (the best supported), so a large corpus gives a readable, bounded image.
MAX_ROUNDS = 30


def _pyplot():
    """matplotlib, imported when a timeline is drawn (0.5 s): a build whose release exists already draws none."""
    import matplotlib
    matplotlib.use("Agg")  # no display: releases are written by workers and tests
    import matplotlib.pyplot as plt
    return plt


def dated_rounds(rounds: pd.DataFrame | None) -> pd.DataFrame:
    """Rounds with a start date, sorted by it; an empty frame when there are none."""
    if rounds is None or rounds.empty or "date_start" not in rounds.columns:
        return pd.DataFrame()
    out = rounds.assign(when=pd.to_datetime(rounds["date_start"], errors="coerce")).dropna(subset=["when"])
    return out.sort_values(["when", "round_id"] if "round_id" in out.columns else ["when"]).reset_index(drop=True)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _place(row) -> str:
    return next((t for t in (_text(row.get(c)) for c in ("city", "venue", "country", "label")) if t), "?")


def _empty(path: Path, message: str) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 2))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12)
    fig.savefig(path, format="png", dpi=100, metadata=PNG_METADATA)
    plt.close(fig)
    return path


def write_timeline(rounds: pd.DataFrame | None, path: Path) -> Path:
    if rounds is None:
        return _empty(path, "No rounds table in this release.")
    dated = dated_rounds(rounds)
    if dated.empty:
        return _empty(path, "No dated negotiation round in this release.")
    title = "Negotiation rounds (marker size = number of source articles)"
    if len(dated) > MAX_ROUNDS:
        support = dated["n_articles"].fillna(0) if "n_articles" in dated.columns else pd.Series(0, dated.index)
        keep = support.sort_values(ascending=False, kind="mergesort").index[:MAX_ROUNDS]
        title = f"The {MAX_ROUNDS} best-supported of {len(dated)} dated negotiation rounds (marker size = sources)"
        dated = dated.loc[sorted(keep)].reset_index(drop=True)
    sources = dated["n_articles"].fillna(1).astype(int) if "n_articles" in dated.columns else pd.Series(1, dated.index)
    plt = _pyplot()
    import matplotlib.dates as mdates
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(dated)), 6))
    ax.scatter(dated["when"], [0] * len(dated), s=60 + 40 * sources, alpha=0.7, zorder=3)
    ax.axhline(0, color="grey", linewidth=1, zorder=1)
    for i, row in dated.iterrows():
        offset = LABEL_OFFSETS[i % len(LABEL_OFFSETS)]
        outcome = textwrap.shorten(_text(row.get("outcome")), OUTCOME_CHARS, placeholder="…")
        label = f"{_place(row)}\n{row['when']:%Y-%m-%d} · {int(sources[i])} src" + (f"\n{outcome}" if outcome else "")
        ax.annotate("\n".join(textwrap.fill(line, 28) for line in label.split("\n")), (row["when"], 0),
                    xytext=(0, offset), textcoords="offset points", ha="center",
                    va="bottom" if offset > 0 else "top", fontsize=8,
                    arrowprops={"arrowstyle": "-", "color": "lightgrey", "linewidth": 0.8})
    ax.set_ylim(-1, 1)
    ax.yaxis.set_visible(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    pad = pd.Timedelta(days=max(2, (dated["when"].max() - dated["when"].min()).days // 10))
    ax.set_xlim(dated["when"].min() - pad, dated["when"].max() + pad)
    ax.set_title(title)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=100, metadata=PNG_METADATA)
    plt.close(fig)
    return path
