"""claims: numbers an article states (counts, shares, durations), with the measure they count."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence
from schemas.vocabularies import MEASURES


class ClaimsSchema(Evidence):
    """start/end span the number with its approximator and unit ('around six hours', 'about 20%')."""

    claim_id: Series[str] = pa.Field(description="Stable id of the claim, derived from article_id, start and end.")
    sentence_id: Series[str] = pa.Field(nullable=True, description="The sentence holding the number (sentences.sentence_id).")
    value: Series[float] = pa.Field(description="The number as stated, in `unit` (not converted: 'six hours' is 6 with unit hour, '30-day' is 30 with unit day); words and scales are expanded ('one million' = 1000000, 'an hour' = 1). Approximators ('about', 'just over') are kept in `text`, not in the value.")
    unit: Series[str] = pa.Field(nullable=True, description="What one unit of `value` is: second, minute, hour, day, week, month, year, percent, person, a currency code (USD, EUR...), or count for other things counted.")
    measure: Series[str] = pa.Field(isin=MEASURES, description="What the number measures: refugees (fled abroad), displaced ('displaced', 'driven from their homes'), prisoners, hostages, bodies ('the remains of 28 hostages'), casualties, children, fighters (combatants of a force or group) — people counts by their noun, the noun they are 'of', their verb ('freed 1,000 members') or their sentence's one measure; territory_share ('20% of Ukrainian land', 'a fifth of the country'); survey_share ('70% of Ukrainians want...', or a share in a sentence about a poll); duration (how long something lasted); truce_length (the length of a truce or ceasefire or of a phase of one); deadline (a time limit: 'within 135 days', 'a 45-day deadline', 'have two weeks to'); other. A point in time ('next round in four days') is no claim.")
    text: Series[str] = pa.Field(str_length={"min_value": 1}, description="The claim as written, equal to substr(articles.text, start+1, end-start).")

    class Config:
        unique = ["claim_id"]
