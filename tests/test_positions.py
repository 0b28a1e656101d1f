"""Positions: stance cues governing issues, the actor behind them, and sentences that are no position."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.nlp.parse import parse_article
from pipeline.nlp.positions import extract_positions
from schemas.positions import PositionsSchema

#: surface -> (actor_id, actor_type, country): hand-made mentions for made-up sentences.
ACTORS = {
    "Ukrainian officials": ("group-ukr", "group", "UKR"),
    "the Ukrainian side": ("group-ukr", "group", "UKR"),
    "The Russian side": ("group-rus", "group", "RUS"),
    "Ukraine": ("ukraine", "state", "UKR"),
    "Kyiv": ("ukraine", "state", "UKR"),
    "Russia": ("russia", "state", "RUS"),
    "Moscow": ("russia", "state", "RUS"),
    "The Kremlin": ("russia", "state", "RUS"),
    "Zelensky": ("volodymyr-zelensky", "person", "UKR"),
    "Putin": ("vladimir-putin", "person", "RUS"),
    "Umerov": ("rustem-umerov", "person", "UKR"),
    "Lavrov": ("sergei-lavrov", "person", "RUS"),
    "Reuters": ("reuters", "media", None),
}


def mentions_for(parsed, actors=ACTORS, flags=re.IGNORECASE):
    """Actor mentions of `parsed` found by name (longest first, never overlapping), as extract_mentions gives them."""
    rows, taken = [], []
    for surface, (actor_id, actor_type, country) in sorted(actors.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", parsed.text, flags):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            rows.append({"article_id": parsed.article_id, "sentence_id": parsed.sentence_id_at(m.start()),
                         "start": m.start(), "end": m.end(), "surface": m.group(), "actor_id": actor_id,
                         "name": surface, "actor_type": actor_type, "country": country,
                         "in_reference": True, "label": None})
    return sorted(rows, key=lambda r: r["start"])


def positions(text):
    parsed = parse_article("t", text)
    return {(p["side"], p["issue"], p["stance"]) for p in extract_positions(parsed, mentions_for(parsed))}


@pytest.mark.parametrize("text, expected", [
    # demands
    ("Kyiv demanded an immediate ceasefire.", ("UKR", "ceasefire", "demand")),
    ("Russia insists on the demilitarization of Ukraine.", ("RUS", "demilitarization", "demand")),
    ("Ukrainian officials pushed for an unconditional ceasefire.", ("UKR", "ceasefire", "demand")),
    ("Umerov emphasized the need for security guarantees.", ("UKR", "security_guarantees", "demand")),
    ("Zelensky repeated calls for a no-fly zone over Ukraine.", ("UKR", "no_fly_zone", "demand")),
    ("Moscow wants Kyiv to accept a neutral status.", ("RUS", "neutrality", "demand")),
    ("Ukraine's priorities are a ceasefire and humanitarian corridors.", ("UKR", "humanitarian_corridors", "demand")),
    ("A key objective for Ukraine is to secure the withdrawal of Russian troops.", ("UKR", "troop_withdrawal", "demand")),
    ("Russia said that it will insist that any deal must include the demilitarization of Ukraine.",
     ("RUS", "demilitarization", "demand")),
    ("The Russian side said a summit would only be possible when a draft treaty was ready.",
     ("RUS", "draft_treaty", "demand")),
    # proposals (a call for something both sides give is a proposal)
    ("Kyiv proposed a neutral status.", ("UKR", "neutrality", "proposal")),
    ("Ukraine is willing to discuss neutrality.", ("UKR", "neutrality", "proposal")),
    ("Zelensky said that he is ready to meet Putin.", ("UKR", "leaders_meeting", "proposal")),
    ("Ukrainian officials called for direct talks between Zelensky and Putin.", ("UKR", "leaders_meeting", "proposal")),
    ("the Ukrainian side plans to propose a prisoner swap.", ("UKR", "prisoner_exchange", "proposal")),
    ("Kyiv handed Moscow its proposals, which contained its refusal to join NATO.",
     ("UKR", "nato_membership", "proposal")),
    # offers
    ("The Kremlin offered a short truce in some areas.", ("RUS", "truce", "offer")),
    ("Russia agreed to return the bodies of fallen soldiers.", ("RUS", "bodies_return", "offer")),
    # acceptance
    ("Ukraine accepted the humanitarian corridors.", ("UKR", "humanitarian_corridors", "acceptance")),
    # refusals
    ("Russia rejected calls for a ceasefire.", ("RUS", "ceasefire", "refusal")),
    ("Moscow refused to withdraw its troops.", ("RUS", "troop_withdrawal", "refusal")),
    ("Ukraine has no interest in demilitarizing.", ("UKR", "demilitarization", "refusal")),
    ("Russia did not agree to a truce.", ("RUS", "truce", "refusal")),
    ("Lavrov is not ready to discuss a ceasefire.", ("RUS", "ceasefire", "refusal")),
    # issue phrasings: leaders named by a genitive, a withdrawal qualified by its extent, fighters
    ("Kyiv proposed a meeting of the two countries' leaders.", ("UKR", "leaders_meeting", "proposal")),
    ("The Kremlin rejected a full withdrawal from the occupied regions.", ("RUS", "troop_withdrawal", "refusal")),
    ("Ukraine demanded the withdrawal of Russian fighters.", ("UKR", "troop_withdrawal", "demand")),
    ("Kyiv proposed to swap all sick, wounded and badly injured young prisoners.",
     ("UKR", "prisoner_exchange", "proposal")),
])
def test_position(text, expected):
    assert expected in positions(text)


def test_pronouns_resolve_to_the_last_compatible_subject():
    text = ("Ukrainian officials pushed for a ceasefire, but Russia didn't agree. "
            "Instead, they offered a short truce.")
    assert positions(text) == {("UKR", "ceasefire", "demand"), ("RUS", "ceasefire", "refusal"),
                               ("RUS", "truce", "offer")}
    assert ("UKR", "no_fly_zone", "demand") in positions("Zelensky spoke on Thursday. He called for a no-fly zone.")


def test_two_actors_in_one_sentence():
    assert positions("Kyiv again demanded a full ceasefire, which the Kremlin dismissed.") == {
        ("UKR", "ceasefire", "demand"), ("RUS", "ceasefire", "refusal")}
    assert ("UKR", "territory", "refusal") in positions("Ukraine said it would never recognize the annexation of Crimea.")


def test_a_conjoined_cue_governs_its_own_object():
    assert positions("Moscow rejected a full ceasefire and instead offered a short truce.") == {
        ("RUS", "ceasefire", "refusal"), ("RUS", "truce", "offer")}


def test_who_is_urged_is_not_what_is_demanded():
    assert positions("Kyiv called for talks and urged NATO allies to impose a no-fly zone.") == {
        ("UKR", "no_fly_zone", "demand")}


def test_a_delegation_acts_through_who_leads_it():
    assert ("UKR", "ceasefire", "demand") in positions(
        "The delegation, led by Defence Minister Umerov, called for a full and unconditional ceasefire.")
    # the same with the cue misparsed as a modifier of the leader's name
    assert ("RUS", "ceasefire", "demand") in positions(
        "The delegation, led by Foreign Minister Sergei Lavrov, called for a full and unconditional ceasefire "
        "of at least 60 days.")


def test_coordinated_issues_give_one_row_each():
    got = positions("Kyiv demanded a ceasefire, the return of deported children and the release of detained civilians.")
    assert {i for _, i, _ in got} == {"ceasefire", "children_return", "civilians_release"}


@pytest.mark.parametrize("text", [
    "Peace talks are negotiating talks between countries to end a conflict.",
    "A ceasefire was discussed in Istanbul.",
    "Russia and Ukraine held talks on a ceasefire.",
    "Reuters demanded a ceasefire.",
    "Both sides agreed to exchange 1,000 prisoners each.",
    "Russia and Ukraine agreed to exchange 500 prisoners.",
    "Russian and Ukrainian negotiators agreed to set up humanitarian corridors.",
    "The Kremlin withdrew from the talks.",
    "There is an opportunity for a ceasefire at the same time as negotiations.",
    "Russia is ready to negotiate.",
    "",
    "!!! ???",
])
def test_no_position(text):
    assert positions(text) == set()


def test_rows_point_at_their_evidence_and_validate():
    text = "Moscow refused to withdraw its troops. Kyiv proposed a neutral status."
    parsed = parse_article("t", text)
    rows = extract_positions(parsed, mentions_for(parsed))
    assert len(rows) == 2
    for row in rows:
        assert row["cue"] in text[row["start"]:row["end"]]
        assert row["round_id"] is None and row["sentence_id"] == parsed.sentence_id_at(row["start"])
    PositionsSchema.validate(pd.DataFrame(rows))


def test_seeds(seeds_dir):
    from pipeline.nlp.mentions import extract_mentions
    found = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        parsed = parse_article(path.stem, path.read_text(encoding="utf-8"))
        rows = extract_positions(parsed, extract_mentions(parsed))
        PositionsSchema.validate(pd.DataFrame(rows, columns=list(PositionsSchema.to_schema().columns)))
        found[path.stem[:3]] = {(r["side"], r["issue"], r["stance"]) for r in rows}
    assert ("UKR", "nato_membership", "proposal") in found["002"]
    assert ("RUS", "truce", "offer") in found["003"] and ("RUS", "ceasefire", "refusal") in found["003"]
    assert ("UKR", "demilitarization", "refusal") in found["001"]
    assert not any(side == "UKR" and issue == "nato_membership" for side, issue, _ in found["001"])


@pytest.mark.parametrize("text, expected", [
    # a negated intention on the issue's own verb is a refusal of it
    ("Russia says it will not give up its weapons.", {("RUS", "disarmament", "refusal")}),
    ("Moscow won't lay down its arms.", {("RUS", "disarmament", "refusal")}),
    ("Kyiv would not sign the peace treaty.", {("UKR", "draft_treaty", "refusal")}),
    # not negated, or not an intention: no stance
    ("Russia says it will give up its weapons.", set()),
    ("Russia has not given up its weapons.", set()),
    # a negated cue keeps its own reading
    ("Russia would not accept a ceasefire.", {("RUS", "ceasefire", "refusal")}),
])
def test_a_negated_intention_is_a_refusal(text, expected):
    assert positions(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a negated clause's named subject sets the condition: it demands what 'until'/'unless' names
    ("Moscow will not sign until Kyiv withdraws its troops.", {("RUS", "troop_withdrawal", "demand")}),
    ("Zelensky said Russia will not sign until Kyiv withdraws its troops.", {("RUS", "troop_withdrawal", "demand")}),
    # a subject that is no party: the reporter sets it
    ("A ceasefire will not take effect until Russia withdraws its troops, Zelensky said.",
     {("UKR", "troop_withdrawal", "demand")}),
    # not negated: no condition
    ("Moscow will sign even if Kyiv withdraws its troops.", set()),
])
def test_a_negated_clause_sets_its_subjects_condition(text, expected):
    assert positions(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a side leaving a named place is a troop withdrawal; leaving the talks or an organisation is not
    ("Russia said it would not withdraw from Kherson.", {("RUS", "troop_withdrawal", "refusal")}),
    ("Moscow will not pull out of Kherson.", {("RUS", "troop_withdrawal", "refusal")}),
    ("Russia refused to withdraw from the talks.", set()),
    ("Russia refused to withdraw from the OSCE.", set()),
])
def test_withdrawing_from_a_place(text, expected):
    assert positions(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a negated intention to negotiate with someone refuses who sits at the table
    ("Russia will never negotiate with Kyiv.", {("RUS", "procedure", "refusal")}),
    ("Putin said Russia would not negotiate with Kyiv.", {("RUS", "procedure", "refusal")}),
    ("Russia will negotiate with Kyiv.", set()),
    ("Russia did not negotiate with Kyiv.", set()),
])
def test_a_refusal_to_negotiate_with_a_party(text, expected):
    assert positions(text) == expected
