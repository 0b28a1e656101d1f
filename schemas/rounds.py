"""rounds: negotiation rounds, the documented ones (rounds.yaml) and new ones clustered from mentions."""
from __future__ import annotations

import datetime

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import DATE, LIST
from schemas.vocabularies import DATE_PRECISIONS, FORMATS


class RoundsSchema(pa.DataFrameModel):
    """One row per round that at least one article speaks of."""

    round_id: Series[str] = pa.Field(description="Stable id: the reference id of a documented round ('istanbul-2025-05-16'), else 'round-<hash>' of the place and first date of a round clustered from mentions.")
    label: Series[str] = pa.Field(nullable=True, description="A readable name for the round ('Second round of the 2025 Istanbul talks, Ciragan Palace').")
    date_start: Series[object] = pa.Field(metadata=DATE, nullable=True, description="First day of the round (datetime.date); null when no article dates it.")
    date_end: Series[object] = pa.Field(metadata=DATE, nullable=True, description="Last day of the round (equal to date_start for a one-day round).")
    date_precision: Series[str] = pa.Field(isin=DATE_PRECISIONS, description="How precisely the dates are known: day, month, year, unknown.")
    city: Series[str] = pa.Field(nullable=True, description="City where the round was held ('Istanbul'); null when only a region or country is known.")
    venue: Series[str] = pa.Field(nullable=True, description="Building or site ('Dolmabahce Palace', 'Belovezhskaya Pushcha').")
    country: Series[str] = pa.Field(nullable=True, description="ISO 3166-1 alpha-3 code of the country where it was held; null for online or phone rounds.")
    host: Series[str] = pa.Field(nullable=True, description="The state (ISO3) or organisation that hosted or mediated the round.")
    format: Series[str] = pa.Field(isin=FORMATS, description="in_person, online (video link), phone, or unknown.")
    ordinal: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="Number of the round within its series (the 2022 talks, the 2025 Istanbul talks ...), as the press counts them; null when not numbered.")
    duration_minutes: Series[float] = pa.Field(nullable=True, ge=0, description="How long the talks lasted, in minutes, where reported.")
    parties: Series[object] = pa.Field(metadata=LIST, description="List of the negotiating parties (ISO3 codes or organisation short names).")
    delegation_heads: Series[object] = pa.Field(metadata=LIST, description="List of actor_id of the heads of the delegations.")
    outcome: Series[str] = pa.Field(nullable=True, description="Short summary of the round's outcomes by status, e.g. 'agreed: prisoner_exchange (1000), bodies_return; rejected: ceasefire'.")
    n_articles: Series[int] = pa.Field(ge=0, description="Number of articles that mention the round.")
    n_publishers: Series[int] = pa.Field(ge=0, description="Number of distinct publishers of those articles.")
    article_ids: Series[object] = pa.Field(metadata=LIST, description="List of article_id of the articles that mention the round.")
    in_reference: Series[bool] = pa.Field(description="True for a documented round from the reference list (pipeline/reference/rounds.yaml), False for a round clustered from articles only.")
    series: Series[str] = pa.Field(nullable=True, description="The series a documented round belongs to ('2022 talks', '2025 Istanbul talks', '2026 trilateral talks').")

    @pa.check("date_start", "date_end", element_wise=True, description="calendar dates (datetime.date) or empty")
    def is_date(cls, value) -> bool:
        return value is None or pd.isna(value) or isinstance(value, datetime.date)

    @pa.check("parties", "delegation_heads", "article_ids", element_wise=True, description="lists")
    def is_list(cls, value) -> bool:
        return isinstance(value, (list, tuple)) or hasattr(value, "tolist")

    class Config:
        coerce = True
        strict = False
        unique = ["round_id"]
