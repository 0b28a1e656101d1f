"""Resolve: round mentions -> rounds (known or clustered); positions and outcomes linked to their round."""
import dagster as dg
import pandas as pd

from pipeline.defs.metadata import output
from pipeline.resolve.rounds import assign_rounds, resolve_rounds, summarize_outcomes

OUTS = {
    "rounds": "One row per negotiation round: a documented round from the reference or a new one clustered from "
              "the articles, with date, place, format, delegation heads, outcome summary and support counts.",
    "round_mentions": "Each sentence that speaks of a round, linked to the round it means (round_id empty when too vague).",
    "positions": "What each side demands, proposes, offers, accepts or refuses, on which issue, in which round.",
    "outcomes": "What a round produced (agreed, rejected, proposed, implemented), with quantities.",
    "article_date_estimates": "For articles without a publication date: the date estimated from the rounds and "
                              "dates they mention, and the basis of the estimate.",
}


@dg.multi_asset(
    group_name="resolve",
    outs={name: dg.AssetOut(description=text, kinds={"pandas", "parquet"}) for name, text in OUTS.items()},
)
def round_resolution(round_mention_candidates: pd.DataFrame, position_candidates: pd.DataFrame,
                     outcome_candidates: pd.DataFrame, articles: pd.DataFrame, roles: pd.DataFrame,
                     dates: pd.DataFrame):
    """Link round mentions to known rounds (place, date window, ordinal, participants) or cluster new ones."""
    rounds, round_mentions, estimates = resolve_rounds(round_mention_candidates, articles, roles, dates,
                                                       with_estimates=True)
    positions = assign_rounds(position_candidates, round_mentions)
    outcomes = assign_rounds(outcome_candidates, round_mentions)
    yield output("rounds", summarize_outcomes(rounds, outcomes))
    yield output("round_mentions", round_mentions)
    yield output("positions", positions)
    yield output("outcomes", outcomes)
    yield dg.Output(estimates, output_name="article_date_estimates", metadata={"dagster/row_count": len(estimates)})
