"""positions: what one side demands, proposes, offers, accepts or refuses, on which issue."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence
from schemas.vocabularies import ISSUES, STANCES


class PositionsSchema(Evidence):
    """start/end span the stance cue and the issue phrase it governs ('pushed for an unconditional ceasefire')."""

    position_id: Series[str] = pa.Field(description="Stable id of the position, derived from article_id, start, end, issue, stance and actor_id.")
    round_id: Series[str] = pa.Field(nullable=True, description="The round of talks the position was taken at (rounds.round_id), when the sentence names one; else null.")
    actor_id: Series[str] = pa.Field(description="Who holds the position (actors.actor_id): the subject or possessor of the stance cue, else the subject of the clause that governs it; 'he', 'it', 'they' are resolved to the most recent compatible actor.")
    side: Series[str] = pa.Field(description="The side the position belongs to: the actor's country, ISO 3166-1 alpha-3 (a person's country, e.g. Zelensky -> UKR), or an organisation's short name.")
    stance: Series[str] = pa.Field(isin=STANCES, description="demand (wants the other side to concede it: demand, insist, push for, call for, priorities, aim); proposal (puts it forward as its own move: propose, ready to, willing to, proposals; a call for something both sides give at once, a leaders' meeting or a prisoner exchange, is a proposal); offer (gives it: offer, concession, agree to return); acceptance (accept, agree); refusal (refuse, reject, decline, 'no interest in', a negated cue such as 'did not agree'). Something set as a condition ('only possible when X') is a demand of X.")
    issue: Series[str] = pa.Field(isin=ISSUES, description="What the position is about, from the issue lexicon (pipeline/reference/issues.yaml): ceasefire, truce, troop_withdrawal, demilitarization, neutrality, nato_membership, foreign_bases, nuclear_weapons, humanitarian_corridors, prisoner_exchange, bodies_return, civilians_release, children_return, no_fly_zone, leaders_meeting, security_guarantees, territory, sanctions, draft_treaty, other.")
    sentence_id: Series[str] = pa.Field(nullable=True, description="The sentence holding the evidence (sentences.sentence_id).")
    cue: Series[str] = pa.Field(description="The word carrying the stance as written ('insist', 'priorities', 'refusal', 'ready').")

    class Config:
        unique = ["position_id"]
