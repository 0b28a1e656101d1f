"""The contract's fixed vocabularies (../shared/DATASET.md), shared by the schemas that enforce them."""

ACTOR_TYPES = ["person", "organization", "state", "media", "group"]
STANCES = ["demand", "proposal", "offer", "acceptance", "refusal"]
ISSUES = ["ceasefire", "truce", "troop_withdrawal", "demilitarization", "neutrality", "nato_membership",
          "foreign_bases", "nuclear_weapons", "humanitarian_corridors", "prisoner_exchange", "bodies_return",
          "civilians_release", "children_return", "no_fly_zone", "leaders_meeting", "security_guarantees",
          "territory", "sanctions", "draft_treaty", "other"]
OUTCOME_TYPES = [*ISSUES, "next_round", "no_agreement"]
STATUSES = ["agreed", "rejected", "proposed", "implemented"]
MEASURES = ["refugees", "prisoners", "bodies", "territory_share", "survey_share", "duration",
            "truce_length", "casualties", "children", "other"]
DATE_PRECISIONS = ["day", "month", "year", "unknown"]
FORMATS = ["in_person", "online", "phone", "unknown"]
