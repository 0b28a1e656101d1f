"""The contract's fixed vocabularies (../shared/DATASET.md), shared by the schemas that enforce them."""

ACTOR_TYPES = ["person", "organization", "state", "media", "group"]
STANCES = ["demand", "proposal", "offer", "acceptance", "refusal"]
#: v1.1: the issue families peace-agreement codebooks (PA-X, UCDP) use, for any negotiation.
ISSUES = [
    # security
    "ceasefire", "truce", "troop_withdrawal", "demilitarization", "disarmament", "monitoring", "foreign_bases",
    "nuclear_weapons", "no_fly_zone", "security_guarantees", "neutrality", "nato_membership",
    # people
    "prisoner_exchange", "hostages", "bodies_return", "civilians_release", "children_return",
    "humanitarian_corridors", "humanitarian_aid", "refugee_return",
    # political
    "territory", "recognition", "power_sharing", "elections", "justice", "sanctions", "economy",
    # process
    "leaders_meeting", "draft_treaty", "procedure", "other"]
OUTCOME_TYPES = [*ISSUES, "next_round", "no_agreement"]
STATUSES = ["proposed", "agreed", "signed", "implemented", "rejected", "violated"]
MEASURES = ["refugees", "displaced", "prisoners", "hostages", "bodies", "casualties", "children", "fighters",
            "territory_share", "survey_share", "duration", "truce_length", "deadline", "other"]
DATE_PRECISIONS = ["day", "month", "year", "unknown"]
FORMATS = ["in_person", "online", "phone", "unknown"]
