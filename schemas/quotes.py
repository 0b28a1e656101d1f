"""quotes: quotations found between quotation marks, with the actor the article attributes them to."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence

KINDS = ["direct", "partial", "indirect"]


class QuotesSchema(Evidence):
    """start/end span the quoted words inside the quotation marks (the marks themselves excluded)."""

    quote_id: Series[str] = pa.Field(description="Stable id of the quotation, derived from article_id, start and end.")
    sentence_id: Series[str] = pa.Field(nullable=True, description="The sentence where the quotation starts (sentences.sentence_id); a quotation may run over several sentences.")
    speaker_actor_id: Series[str] = pa.Field(nullable=True, description="The actor the article attributes the words to (actors.actor_id): the subject of the cue verb, with pronouns ('he said') resolved to the most recent fitting actor. A state or group ('Russia', 'Ukrainian officials') can be the speaker. Null when the speaker is not a known actor (e.g. 'a spokesperson').")
    speaker_surface: Series[str] = pa.Field(nullable=True, description="The speaker as written near the cue ('Mr Zelensky', 'he', 'a spokesperson'); null when no speaker is written.")
    text: Series[str] = pa.Field(str_length={"min_value": 1}, description="The quoted words, exactly as printed between the quotation marks.")
    kind: Series[str] = pa.Field(isin=KINDS, description="direct: the quotation is a whole sentence or more; partial: a fragment quoted inside the writer's own sentence; indirect: reported speech without quotation marks (not produced by the current rules).")
    cue: Series[str] = pa.Field(nullable=True, description="The reporting word that attributes the quotation ('said', 'tweeted', 'summed up', 'according to', or a stance verb such as 'pushed'); null for a headline 'Name: \"...\"'.")

    class Config:
        unique = ["quote_id"]
