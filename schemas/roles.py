"""roles: titles the articles give people ('Ukrainian Defence Minister Rustem Umerov')."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence


class RolesSchema(Evidence):
    """start/end span the title and the name together (the evidence that the person holds the role)."""

    actor_id: Series[str] = pa.Field(description="The person holding the role (actors.actor_id).")
    role: Series[str] = pa.Field(str_length={"min_value": 1}, description="Normalised role from the vocabulary in pipeline/reference/roles.yaml: president, prime minister, foreign minister, defence minister, deputy foreign minister, presidential aide, presidential adviser, head of delegation, negotiator, spokesperson, director, deputy director, owner, ... (British spelling: defence, adviser).")
    affiliation: Series[str] = pa.Field(nullable=True, description="Whom the role is held for: an ISO 3166-1 alpha-3 code for a state post ('UKR'), an international organisation's short name ('UN', 'NATO'), or an organisation's name ('Chelsea FC', 'Russian International Affairs Council'). Taken from the text when it says ('Ukrainian', \"Russia's\", 'Kremlin', 'of the Foo Council'), else from the dictionary's dated roles, else the person's country; null when unknown.")
    sentence_id: Series[str] = pa.Field(nullable=True, description="The sentence holding the person's mention (sentences.sentence_id).")
    role_text: Series[str] = pa.Field(nullable=True, description="The title as written ('Defense Minister', 'head of Russia's negotiation team', 'Leading the Russian delegation is').")

    class Config:
        unique = ["actor_id", "role", "affiliation", "article_id", "start", "end"]
