"""round_mentions: sentences that speak of a meeting or round of talks, and the round each one means."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import DATE, LIST, Evidence
from schemas.vocabularies import DATE_PRECISIONS, FORMATS

TENSES = ["past", "ongoing", "planned"]
KINDS = ["round", "leaders"]
DEFINITENESS = ["definite", "indefinite", "bare"]


class RoundMentionsSchema(Evidence):
    """start/end span the noun phrase that names the talks ('the second round of peace talks')."""

    mention_id: Series[str] = pa.Field(description="Stable id of the mention, derived from article_id, start and end.")
    round_id: Series[str] = pa.Field(nullable=True, description="The round meant (rounds.round_id); null when the mention is too vague ('peace talks are ...') or a wish for a leaders' meeting.")
    sentence_id: Series[str] = pa.Field(description="The sentence holding the mention (sentences.sentence_id).")
    paragraph_id: Series[str] = pa.Field(description="The paragraph holding the mention ('<article_id>-p<n>', as sentences.paragraph_id).")
    surface: Series[str] = pa.Field(description="The noun phrase as written.")
    kind: Series[str] = pa.Field(isin=KINDS, description="round: talks between delegations; leaders: a meeting between presidents/leaders asked for or discussed, never linked to a round.")
    definiteness: Series[str] = pa.Field(isin=DEFINITENESS, description="How the noun phrase names the talks: definite (a possessive or an anaphoric determiner: 'the talks', 'their meeting'), indefinite ('a meeting', 'another round', 'no talks'), bare (neither).")
    date_text: Series[str] = pa.Field(nullable=True, description="The date expression the sentence gives for the meeting, as written ('May 16', 'Thursday').")
    date_start: Series[object] = pa.Field(nullable=True, metadata=DATE, description="First day of the sentence's date for the meeting (date), as dates.date_start of that expression; null when the sentence gives none or it is not resolved.")
    date_end: Series[object] = pa.Field(nullable=True, metadata=DATE, description="Last day of that date (date), as dates.date_end.")
    date_precision: Series[str] = pa.Field(nullable=True, isin=DATE_PRECISIONS, description="The precision of that date, as dates.precision (day, month, year, unknown); null when the sentence gives no date.")
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Year of the sentence's date for the meeting, as dates.year; null when not known.")
    month: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=12, description="Month (1-12) of that date, as dates.month; kept without a known year.")
    day: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Day of the month of that date, as dates.day; kept without a known year.")
    weekday: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, le=6, description="Weekday the sentence names for the meeting (0 = Monday ... 6 = Sunday), when it names one outside a 'since' phrase or reported speech.")
    after_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Year of a date given after 'since' (a lower bound on the meeting's date, not its date).")
    after_month: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=12, description="Month of that 'since' date, when it has a year.")
    ordinal: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="The ordinal the sentence gives ('second round' = 2; 'first direct talks' = 1).")
    city: Series[str] = pa.Field(nullable=True, description="City named as the place of the meeting.")
    venue: Series[str] = pa.Field(nullable=True, description="Venue named as the place of the meeting.")
    region: Series[str] = pa.Field(nullable=True, description="Region named as the place of the meeting (from pipeline/reference/places.yaml), or the region of the city named.")
    country: Series[str] = pa.Field(nullable=True, description="ISO3 code of the country where the sentence places the meeting.")
    host: Series[str] = pa.Field(nullable=True, description="ISO3 code of the country the sentence says hosted, mediated or brokered the meeting ('hosted by Turkey' -> TUR).")
    format: Series[str] = pa.Field(isin=FORMATS, description="in_person, online, phone, unknown, as the sentence says (a named place implies in_person).")
    duration_minutes: Series[float] = pa.Field(nullable=True, ge=0, description="How long the sentence says the meeting lasted, in minutes ('two hours' = 120).")
    delegation_heads: Series[object] = pa.Field(nullable=True, metadata=LIST, description="List of actor_id of the delegation heads named in the sentence (by a head-of-delegation role or 'leading the ... delegation'), else those named so elsewhere in the article.")
    people: Series[object] = pa.Field(nullable=True, metadata=LIST, description="List of actor_id of the people mentioned in the sentence (actor_mentions of actor_type person).")
    parties: Series[object] = pa.Field(nullable=True, metadata=LIST, description="List of the country codes of the states, people and groups mentioned in the sentence, except the country where it places the meeting.")
    tense: Series[str] = pa.Field(isin=TENSES, description="past, ongoing or planned, from the cue nearest the mention in its clause.")
    reference: Series[str] = pa.Field(nullable=True, description="latest, previous, next or first, when the sentence places the round relative to others.")
    link_score: Series[float] = pa.Field(nullable=True, description="The evidence score of the link to a documented round (place, date, ordinal, participants); null when the round was inherited from the article's main round or clustered.")

    class Config:
        unique = ["mention_id"]
