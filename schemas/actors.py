"""actors: every actor of the reference dictionary plus every actor the articles' mentions discovered."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import LIST
from schemas.vocabularies import ACTOR_TYPES


class ActorsSchema(pa.DataFrameModel):
    """One row per actor. Reference actors come from pipeline/reference/actors.yaml, each with a source;
    discovered actors are people and organisations named in the articles but not in the dictionary."""

    actor_id: Series[str] = pa.Field(unique=True, description="Stable id: the dictionary's slug ('vladimir-putin', 'russia', 'group-ukr'), or for a discovered actor 'person-<slug of the full name>' or 'org-<slug of the name>' (spelling folded as for matching: Stanovaya and Stanovaia give one id) or 'group-<iso3>', the same in every article and release.")
    name: Series[str] = pa.Field(str_length={"min_value": 1}, description="Canonical name: the dictionary's, or for a discovered actor the full name its mentions give most often.")
    actor_type: Series[str] = pa.Field(isin=ACTOR_TYPES, description="person, organization, state, media or group (a state's officials, delegation or negotiators taken together).")
    country: Series[str] = pa.Field(nullable=True, description="ISO 3166-1 alpha-3 code, or an organisation's short name (UN, EU, NATO) where no state fits; null when unknown (most discovered people).")
    aliases: Series[object] = pa.Field(metadata=LIST, description="List of other names: the dictionary's spelling variants, transliterations and metonyms ('Kremlin', 'Kyiv') plus every surface the mentions used.")
    in_reference: Series[bool] = pa.Field(description="True for an actor of the reference dictionary, False for one discovered in the articles.")
    source: Series[str] = pa.Field(nullable=True, description="Where the reference entry was checked (a URL); null for discovered actors.")

    @pa.check("aliases", element_wise=True, description="aliases is a list of strings")
    def aliases_are_lists(cls, value) -> bool:
        return hasattr(value, "__len__") and not isinstance(value, str) and all(isinstance(a, str) for a in value)

    class Config:
        coerce = True
        strict = False
