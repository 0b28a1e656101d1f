"""Actor mentions: dictionary aliases and spellings, coreference in an article, metonyms, groups,
discovered people, junk filtering, and spans that never overlap."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp import countries
from pipeline.nlp.actor_dictionary import ActorDictionary, load_actor_dictionary, name_key
from pipeline.nlp.mentions import extract_mentions
from pipeline.nlp.parse import parse_article
from pipeline.reference import load_reference
from schemas.actor_mentions import ActorMentionsSchema

ORG_CODES = {"UN", "EU", "NATO", "OSCE", "ICRC", "IAEA", "ICC", "COE", "G7", "G20", "BRICS", "AU", "CSTO", "CIS"}


def mentions(text, article_id="t"):
    return extract_mentions(parse_article(article_id, text))


def by_surface(rows):
    return {m["surface"]: m for m in rows}


# ---------- the dictionary ----------

def test_reference_entries_are_complete_and_unambiguous():
    d = load_actor_dictionary()
    assert d.ambiguous_aliases() == {}
    for actor in d.actors.values():
        assert actor.source and actor.source.startswith("http"), actor.actor_id
        assert actor.country, actor.actor_id
        non_state = actor.actor_type == "group" and countries.short_name(actor.country) is None \
            and actor.country not in ORG_CODES
        assert re.fullmatch(r"[A-Z]{3}", actor.country) or actor.country in ORG_CODES or non_state, actor.actor_id
        assert not actor.actor_id.startswith(("person-", "org-")), "prefixes kept for discovered actors"
        if non_state:  # a non-state party: its short name is its code (contract v1.1)
            assert actor.country in (actor.name, *actor.aliases) or actor.actor_id == f"group-{actor.country.lower()}"
        elif actor.actor_type == "group":
            assert actor.actor_id == f"group-{actor.country.lower()}"
        for role in actor.roles:
            assert role["role"] and role["affiliation"] and role["from"], actor.actor_id


@pytest.mark.parametrize("names", [
    ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi", "Volodymyr Zelenskyy"),
    ("Medinsky", "Medinski", "Vladimir Medinski"),
    ("Kyslytsia", "Kyslytsya", "Serhii Kyslytsia"),
    ("Kiev", "Kyiv", "Ukraine", "Ukraine\u2019s"),
    ("the Kremlin", "Kremlin", "Moscow", "Russia's"),
])
def test_spelling_variants_share_one_actor(names):
    d = load_actor_dictionary()
    ids = {d.lookup(n).actor_id for n in names}
    assert len(ids) == 1


def test_folding_and_capitalisation():
    d = load_actor_dictionary()
    assert name_key("Zelenskyy\u2019s") == name_key("zelensky")
    assert name_key("U.S.") == "us"
    assert d.lookup("US").actor_id == "united-states"
    assert d.lookup("us") is None and d.country_of("us") is None
    assert d.country_of("Ukrainian") == "UKR" and d.country_of("Kremlin") == "RUS"
    assert d.by_surname("Putin").actor_id == "vladimir-putin"


def test_user_reference_folder_extends_the_dictionary(tmp_path, monkeypatch):
    (tmp_path / "actors.yaml").write_text(
        "actors:\n- {id: sameh-shoukry, name: Sameh Shoukry, actor_type: person, country: EGY,"
        " aliases: [Shoukry], source: 'https://example.org'}\n", encoding="utf-8")
    monkeypatch.setenv("PARLEY_REFERENCE_DIRS", str(tmp_path))
    d = ActorDictionary(load_reference("actors"), load_reference("roles"))
    assert d.lookup("Shoukry").actor_id == "sameh-shoukry"
    assert d.lookup("Putin").actor_id == "vladimir-putin"
    rows = extract_mentions(parse_article("t", "Egyptian Foreign Minister Sameh Shoukry spoke."), d)
    assert any(m["actor_id"] == "sameh-shoukry" and m["in_reference"] for m in rows)


# ---------- people ----------

def test_surname_and_honorific_link_to_the_full_name():
    rows = mentions("Ukraine\u2019s president Volodymyr Zelenskyy spoke on Sunday. "
                    "\u201cLet them try,\u201d Mr Zelensky said. Later Zelenskyy added more.")
    people = [m for m in rows if m["actor_type"] == "person"]
    assert [m["surface"] for m in people] == ["Volodymyr Zelenskyy", "Mr Zelensky", "Zelenskyy"]
    assert {m["actor_id"] for m in people} == {"volodymyr-zelensky"}
    assert all(m["in_reference"] and m["country"] == "UKR" for m in people)


def test_names_spacy_misses_are_found_through_the_dictionary():
    rows = mentions("Leading the Russian delegation is Kremlin advisor Vladimir Medinski, while Ukrainian "
                    "Defense Minister Rustem Umerov represents Ukraine.")
    ids = {m["actor_id"] for m in rows if m["actor_type"] == "person"}
    assert ids == {"vladimir-medinsky", "rustem-umerov"}


def test_discovered_person_has_a_stable_id_and_takes_its_surname():
    text = ("Israeli Prime Minister Benjamin Netanyahu met Egyptian Foreign Minister Sameh Shoukry in Cairo. "
            "Shoukry said the talks were useful, and Mr Netanyahu agreed.")
    rows = mentions(text, "a1")
    people = {m["surface"]: m for m in rows if m["actor_type"] == "person"}
    assert people["Sameh Shoukry"]["actor_id"] == people["Shoukry"]["actor_id"] == "person-s-shkr"
    assert people["Mr Netanyahu"]["actor_id"] == people["Benjamin Netanyahu"]["actor_id"] == "person-b-ntnh"
    assert not people["Shoukry"]["in_reference"]
    assert people["Benjamin Netanyahu"]["name"] == "Benjamin Netanyahu"
    other = mentions("Sameh Shukri flew to Doha on Friday.", "a2")  # another spelling, the same id
    assert [m["actor_id"] for m in other if m["actor_type"] == "person"] == ["person-s-shkr"]


def test_junk_is_not_a_person():
    rows = mentions("Before the talks, Podolyak said on Twitter that hashtags like #PeaceNow were trending. "
                    "The Defence Minister was absent.")
    people = [m for m in rows if m["actor_type"] == "person"]
    assert [m["surface"] for m in people] == ["Podolyak"]
    assert people[0]["actor_id"] == "mykhailo-podolyak"


def test_unknown_surname_alone_is_dropped():
    rows = mentions("Kowalczyk said the proposal was serious.")
    assert not [m for m in rows if m["actor_type"] == "person"]


# ---------- states, organisations, media, groups ----------

def test_metonyms_and_possessives_name_the_state():
    text = "Moscow and Kiev traded proposals. The Kremlin declined to comment on Russia's invasion, said Kyiv."
    rows = mentions(text)
    states = [(m["surface"], m["actor_id"]) for m in rows if m["actor_type"] == "state"]
    assert states == [("Moscow", "russia"), ("Kiev", "ukraine"), ("Kremlin", "russia"),
                      ("Russia", "russia"), ("Kyiv", "ukraine")]
    russia = next(m for m in rows if m["surface"] == "Russia")
    assert text[russia["end"]:russia["end"] + 2] == "'s"


def test_organisations_and_media():
    rows = by_surface(mentions("NATO and the UN were briefed, Reuters news agency reported, citing "
                               "the Independent and Anadolu Agency. The Chelsea FC owner was there."))
    assert rows["NATO"]["actor_id"] == "nato" and rows["UN"]["actor_id"] == "un"
    assert rows["Reuters news agency"]["actor_type"] == "media"
    assert rows["the Independent"]["actor_id"] == "the-independent"
    assert rows["Anadolu Agency"]["actor_type"] == "media"
    assert rows["Chelsea FC"]["actor_type"] == "organization"


def test_unknown_organisation_is_discovered_only_when_it_looks_like_one():
    rows = by_surface(mentions("Vladimir Zharikhin, deputy director of the Commonwealth of Independent "
                               "States Institute, spoke in Istanbul."))
    org = rows["Commonwealth of Independent States Institute"]
    assert org["actor_id"] == "org-commonwealth-of-independent-states-institute"
    assert org["actor_type"] == "organization" and not org["in_reference"]
    assert "Istanbul" not in rows


@pytest.mark.parametrize("text, surface, actor_id", [
    ("Ukrainian officials pushed for a ceasefire.", "Ukrainian officials", "group-ukr"),
    ("The Russian side had repeatedly said so.", "Russian side", "group-rus"),
    ("He agreed to send the Ukrainian delegation to Istanbul.", "Ukrainian delegation", "group-ukr"),
    ("Russian negotiators left early.", "Russian negotiators", "group-rus"),
    ("He is head of Russia\u2019s negotiation team.", "Russia\u2019s negotiation team", "group-rus"),
    ("A senior Ukrainian official noted the aim.", "Ukrainian official", "group-ukr"),
    ("US officials were in the room.", "US officials", "group-usa"),
    ("Egyptian officials shuttled between the parties.", "Egyptian officials", "group-egy"),
    ("Many Ukrainians want peace.", "Ukrainians", "group-ukr"),
])
def test_groups(text, surface, actor_id):
    m = by_surface(mentions(text))[surface]
    assert m["actor_id"] == actor_id and m["actor_type"] == "group"


def test_coordinated_nationalities_each_get_their_group():
    rows = by_surface(mentions("Talks between the Russian and American delegations followed."))
    assert rows["Russian"]["actor_id"] == "group-rus"
    assert rows["American delegations"]["actor_id"] == "group-usa"


def test_a_named_negotiator_is_not_a_group():
    rows = mentions("Ukrainian negotiator, David Arakhamia, said the sides would meet.")
    assert not [m for m in rows if m["actor_type"] == "group"]
    assert by_surface(rows)["David Arakhamia"]["actor_id"] == "david-arakhamia"


def test_pronoun_us_is_not_the_united_states():
    rows = mentions("Let us hope the U.S. and the UK help.")
    assert [m["actor_id"] for m in rows] == ["united-states", "united-kingdom"]


# ---------- spans ----------

def check_spans(text, rows):
    for m in rows:
        assert text[m["start"]:m["end"]] == m["surface"]
        assert m["surface"] == m["surface"].strip() and not m["surface"].endswith(("'s", "\u2019s", ","))
    ordered = sorted(rows, key=lambda m: m["start"])
    for a, b in zip(ordered, ordered[1:]):
        assert a["end"] <= b["start"], (a, b)


def test_seed_mentions_validate(seeds_dir):
    frames = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        rows = extract_mentions(parse_article(path.stem, text))
        check_spans(text, rows)
        frames.append(pd.DataFrame(rows))
    ActorMentionsSchema.validate(pd.concat(frames, ignore_index=True), lazy=True)


SENTENCES = [
    "Ukraine\u2019s president Volodymyr Zelenskyy said Russia's demands were unacceptable.",
    "Russian Foreign Minister Sergei Lavrov met Turkish Foreign Minister Hakan Fidan in Antalya.",
    "The Kremlin and Washington spoke; Ukrainian officials and the Russian side did not.",
    "Ivan Timofeev, director of programmes at the Russian International Affairs Council, was sceptical.",
    "Mr Zelensky thanked NATO, the EU and the U.S. for their help.",
    "Presidents Zelensky and Putin may meet, Medinsky said on Twitter.",
    "Egyptian Foreign Minister Sameh Shoukry spoke to Reuters in Cairo.",
    "Talks between the Russian and American delegations lasted two hours.",
]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5), st.sampled_from([" ", "\n"]))
def test_spans_never_overlap_and_match_the_text(picked, glue):
    text = glue.join(picked)
    rows = mentions(text)
    check_spans(text, rows)
    assert rows == mentions(text), "deterministic"


def test_surname_alone_links_to_a_full_name_spacy_found_earlier():
    rows = mentions("Moldovan Prime Minister Dorin Vlasceanu arrived on Monday. Vlasceanu called it a start.")
    people = [m for m in rows if m["actor_type"] == "person"]
    assert [m["surface"] for m in people] == ["Dorin Vlasceanu", "Vlasceanu"]
    assert len({m["actor_id"] for m in people}) == 1


def test_mislabelled_name_with_a_titled_apposition_is_a_person():
    rows = mentions("Others disagree. Marina Kozyreva, a senior fellow at the Baltic Policy Institute, argues "
                    "otherwise. Ms. Kozyreva expects a long war.")
    people = [m for m in rows if m["actor_type"] == "person"]
    assert [m["surface"] for m in people] == ["Marina Kozyreva", "Ms. Kozyreva"]
    assert len({m["actor_id"] for m in people}) == 1
    assert not any(m["actor_type"] == "person" for m in mentions("The Baltic Policy Institute, a think tank, "
                                                                  "said so."))


def test_a_person_later_called_by_first_name_is_linked():
    rows = mentions("Prime Minister Anwar Ibrahim hosted the talks, and Phumtham Wechayachai came. Later Anwar said "
                    "so, and Phumtham agreed. Ban Ki-moon spoke. Ban told the audience.")
    people = {m["surface"]: m["actor_id"] for m in rows if m["actor_type"] == "person"}
    assert people["Anwar"] == people["Anwar Ibrahim"] and people["Phumtham"] == people["Phumtham Wechayachai"]
    assert people["Ban"] == people["Ban Ki-moon"]


def test_a_first_name_two_people_share_is_not_linked():
    rows = mentions("Mohammed Salem and Mohammed Karim met in Doha. Mohammed said the talks went well.")
    ids = {m["actor_id"] for m in rows if m["surface"] == "Mohammed"}
    assert not ids & {m["actor_id"] for m in rows if m["surface"] in ("Mohammed Salem", "Mohammed Karim")}


def test_spelling_variants_and_particles_share_one_person():
    a = mentions("Foreign Minister Khaled al-Yamani spoke. Al-Yamani was cautious.", "a1")
    b = mentions("Foreign Minister Khalid al-Yamany spoke.", "a2")
    ids = {m["actor_id"] for m in a + b if m["actor_type"] == "person"}
    assert len(ids) == 1
    c = mentions("Former vice president Humberto de la Calle signed. De la Calle said it was over.", "a3")
    assert len({m["actor_id"] for m in c if m["actor_type"] == "person"}) == 1


def test_reference_person_found_under_another_spelling():
    rows = mentions("Rustem Umierov led the team.")
    assert [m["actor_id"] for m in rows if m["actor_type"] == "person"] == ["rustem-umerov"]
    rows = mentions("Rustam Omarov led the team.")  # too far from any reference name: a person of its own
    assert [m["actor_id"] for m in rows if m["actor_type"] == "person"] != ["rustem-umerov"]


def test_alias_after_a_cue_is_the_same_person():
    rows = mentions("The commander Pedro Alvarado, better known by his noms de guerre Juan Cruz and Tigre, looked on.")
    people = {m["actor_id"] for m in rows if m["actor_type"] == "person"}
    assert len(people) == 1


def test_places_listed_together_are_not_people():
    rows = mentions("The deal covers the ports of Hodeidah, Salif and Ras Issa.")
    assert not [m for m in rows if m["actor_type"] == "person"]


def test_non_state_parties_and_kosovo():
    rows = mentions("The Taliban and Houthi rebels met M23 officials, while Kosovo's prime minister spoke.")
    got = {m["surface"]: (m["actor_type"], m["country"]) for m in rows}
    assert got["The Taliban"] == ("group", "Taliban") and got["Houthi"] == ("group", "Houthis")
    assert got["M23"] == ("group", "M23") and got["Kosovo"] == ("state", "XKX")


@pytest.mark.xfail(reason="known miss: a name spaCy labels ORG with nothing around it to say it is a person",
                   strict=True)
def test_person_labelled_organisation_without_a_cue():
    rows = mentions("The accord was signed by Iván Márquez for the rebels.")
    assert [m["surface"] for m in rows if m["actor_type"] == "person"] == ["Iván Márquez"]


def test_a_party_named_in_the_text_is_a_group_coded_by_its_short_name():
    rows = mentions("The Oromo Liberation Army (OLA) signed a truce, and the OLA said it would hold.")
    groups = {(m["surface"], m["actor_id"], m["country"]) for m in rows if m["actor_type"] == "group"}
    assert ("Oromo Liberation Army", "group-ola", "OLA") in groups and ("OLA", "group-ola", "OLA") in groups


def test_a_states_forces_are_not_a_party():
    rows = mentions("The Sudan Armed Forces and the Russian Armed Forces met.")
    assert not [m for m in rows if m["actor_type"] == "group"]


def test_datelines_and_towns_are_not_people():
    rows = mentions("SHARM EL-SHEIKH, Oct 9 - Talks resumed on Thursday.\nResidents of Khan Younis fled, Ahmed Salem "
                    "said. Former prime minister Ehud Barak spoke.")
    assert {m["surface"] for m in rows if m["actor_type"] == "person"} == {"Ahmed Salem", "Ehud Barak"}
