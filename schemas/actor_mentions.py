"""actor_mentions: each span of an article that names an actor, linked to the actors table."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence
from schemas.vocabularies import ACTOR_TYPES

LABELS = ["PERSON", "ORG", "GPE", "NORP", "ALIAS", "GROUP"]


class ActorMentionsSchema(Evidence):
    """start/end span the name as written, with an honorific ('Mr Zelensky') but without a possessive
    's ('Russia' in "Russia's") or a leading 'the'. Within an article, spans never overlap."""

    sentence_id: Series[str] = pa.Field(nullable=True, description="The sentence holding the mention (sentences.sentence_id).")
    surface: Series[str] = pa.Field(str_length={"min_value": 1}, description="The mention as written: substr(articles.text, start+1, end-start).")
    actor_id: Series[str] = pa.Field(description="The actor mentioned (actors.actor_id). Surnames and 'Mr X' link to the person named in full earlier in the article; metonyms ('the Kremlin', 'Kyiv') to the state; 'Ukrainian officials', 'the Russian side' to the state's group actor.")
    name: Series[str] = pa.Field(nullable=True, description="The actor's canonical name, as in actors.name.")
    actor_type: Series[str] = pa.Field(nullable=True, isin=ACTOR_TYPES, description="The actor's type, as in actors.actor_type.")
    country: Series[str] = pa.Field(nullable=True, description="The actor's country code, as in actors.country.")
    in_reference: Series[bool] = pa.Field(nullable=True, description="Whether the actor is in the reference dictionary.")
    label: Series[str] = pa.Field(nullable=True, isin=LABELS, description="How the mention was found: spaCy's entity label (PERSON, ORG, GPE, NORP), ALIAS for a dictionary alias or nationality word spaCy did not tag, GROUP for a group phrase ('Ukrainian officials').")

    @pa.dataframe_check(description="mention spans of one article do not overlap")
    def spans_disjoint(cls, df):
        ordered = df.sort_values(["article_id", "start", "end"])
        previous_end = ordered.groupby("article_id")["end"].shift()
        ok = previous_end.isna() | (ordered["start"] >= previous_end)
        return ok.reindex(df.index)

    class Config:
        unique = ["article_id", "start", "end"]
