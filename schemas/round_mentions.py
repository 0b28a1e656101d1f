"""round_mentions: sentences that speak of a meeting or round of talks, and the round each one means."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence
from schemas.vocabularies import FORMATS

TENSES = ["past", "ongoing", "planned"]
KINDS = ["round", "leaders"]


class RoundMentionsSchema(Evidence):
    """start/end span the noun phrase that names the talks ('the second round of peace talks')."""

    mention_id: Series[str] = pa.Field(description="Stable id of the mention, derived from article_id, start and end.")
    round_id: Series[str] = pa.Field(nullable=True, description="The round meant (rounds.round_id); null when the mention is too vague ('peace talks are ...') or a wish for a leaders' meeting.")
    sentence_id: Series[str] = pa.Field(description="The sentence holding the mention (sentences.sentence_id).")
    surface: Series[str] = pa.Field(description="The noun phrase as written.")
    kind: Series[str] = pa.Field(isin=KINDS, description="round: talks between delegations; leaders: a meeting between presidents/leaders asked for or discussed, never linked to a round.")
    date_text: Series[str] = pa.Field(nullable=True, description="The date expression the sentence gives for the meeting, as written ('May 16', 'Thursday').")
    ordinal: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="The ordinal the sentence gives ('second round' = 2; 'first direct talks' = 1).")
    city: Series[str] = pa.Field(nullable=True, description="City named as the place of the meeting.")
    venue: Series[str] = pa.Field(nullable=True, description="Venue named as the place of the meeting.")
    country: Series[str] = pa.Field(nullable=True, description="ISO3 code of the country where the sentence places the meeting.")
    format: Series[str] = pa.Field(isin=FORMATS, description="in_person, online, phone, unknown, as the sentence says (a named place implies in_person).")
    tense: Series[str] = pa.Field(isin=TENSES, description="past, ongoing or planned, from the cue nearest the mention in its clause.")
    reference: Series[str] = pa.Field(nullable=True, description="latest, previous, next or first, when the sentence places the round relative to others.")
    link_score: Series[float] = pa.Field(nullable=True, description="The evidence score of the link to a documented round (place, date, ordinal, participants); null when the round was inherited from the article's main round or clustered.")

    class Config:
        unique = ["mention_id"]
