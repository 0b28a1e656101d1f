"""Write N synthetic news articles about peace negotiations, for benchmarks.

    python bench/generate.py --n 1000 --seed 7 --out DIR [--start 0]

Each article recombines sentence templates with varied actors, places, dates, numbers and quotes, so the text
looks like wire copy to spaCy (names, GPEs, dates, cardinals, quotation marks, speech verbs) and no two articles
are near copies. Article i depends only on (seed, i): `--start 1000 --n 10` adds ten new articles to a corpus of
1,000 without changing the first ones. Articles average about 1,000 words.
"""
from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

TARGET_WORDS = (600, 1400)  # uniform, so ~1,000 on average

PEOPLE = [
    ("Volodymyr Zelensky", "Ukrainian President", "Ukraine"), ("Vladimir Putin", "Russian President", "Russia"),
    ("Vladimir Medinsky", "Russian delegation head", "Russia"), ("Rustem Umerov", "Ukrainian Defence Minister", "Ukraine"),
    ("Mykhailo Podolyak", "presidential adviser", "Ukraine"), ("David Arakhamia", "Ukrainian negotiator", "Ukraine"),
    ("Sergei Lavrov", "Russian Foreign Minister", "Russia"), ("Dmytro Kuleba", "Ukrainian Foreign Minister", "Ukraine"),
    ("Hakan Fidan", "Turkish Foreign Minister", "Turkey"), ("Recep Tayyip Erdogan", "Turkish President", "Turkey"),
    ("Antonio Guterres", "UN Secretary-General", "the United Nations"), ("Dmitry Peskov", "Kremlin spokesman", "Russia"),
    ("Andriy Yermak", "head of the presidential office", "Ukraine"), ("Marco Rubio", "US Secretary of State", "the United States"),
    ("Alexander Lukashenko", "Belarusian President", "Belarus"), ("Mevlut Cavusoglu", "Turkish Foreign Minister", "Turkey"),
]
SIDES = ["Ukraine", "Russia"]
PLACES = [("Istanbul", "Turkey", "Dolmabahce Palace"), ("Gomel", "Belarus", "a hunting lodge"),
          ("Brest", "Belarus", "Belovezhskaya Pushcha"), ("Antalya", "Turkey", "a diplomatic forum"),
          ("Geneva", "Switzerland", "the Palais des Nations"), ("Riyadh", "Saudi Arabia", "a royal palace"),
          ("Doha", "Qatar", "a government guest house"), ("Minsk", "Belarus", "the Independence Palace")]
PUBLISHERS = ["Reuters", "Associated Press", "Anadolu Agency", "BBC News", "Al Jazeera", "Kyiv Independent",
              "TASS", "The Guardian", "Deutsche Welle", "Euronews"]
ISSUES = ["a ceasefire", "the withdrawal of troops", "neutral status", "security guarantees", "humanitarian corridors",
          "a prisoner exchange", "the return of children", "a no-fly zone", "sanctions relief",
          "a meeting between the leaders", "the status of Crimea", "nuclear weapons", "foreign military bases"]
MEASURES = [("refugees", "have fled the country"), ("prisoners", "are held by both sides"),
            ("children", "have been deported"), ("civilians", "were evacuated through the corridors"),
            ("soldiers", "are still missing")]
VERBS = ["said", "told reporters", "added", "stressed", "noted", "insisted", "warned", "announced"]
STANCES = ["demanded", "proposed", "offered", "rejected", "accepted", "called for", "refused to discuss"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "latest", "next"]
QUOTES = [
    "We are ready to continue the talks, but not at the price of our sovereignty",
    "The results are not yet achieved, and the work will go on",
    "Every day we lose means losing lives",
    "There will be no compromise on our territorial integrity",
    "The talks were difficult but constructive",
    "We want a genuine, lasting and well-monitored ceasefire",
    "Our position has not changed since the first round",
    "Any agreement must be signed by the leaders themselves",
    "We handed over our proposals in writing and expect an answer within a week",
    "This is only the beginning of a long and hard road",
]

TEMPLATES = [
    "Delegations from {side_a} and {side_b} met in {city} on {day} for the {ordinal} round of peace talks.",
    "The talks at {venue} in {city} lasted about {hours} hours, according to {publisher}.",
    "{role} {person} {verb} that {side_a} {stance} {issue} before any further meeting.",
    "\u201c{quote},\u201d {person} {verb} after the session ended on {day}.",
    "{person}, the {role}, {verb}: \u201c{quote}.\u201d",
    "An estimated {number} {measure} {measure_phrase}, officials in {side_b} said on {day}.",
    "Both sides agreed to exchange {number2} prisoners, the only concrete result of the {ordinal} round.",
    "{side_b} {stance} {issue}, while {side_a} insisted on {issue2}.",
    "Observers in {capital} expected the {ordinal} round to open in {month} {year}, possibly in {city2}.",
    "{person2} {verb} that {host} was prepared to host another meeting at {venue2}.",
    "The previous round, held on {day2}, ended without an agreement on {issue}.",
    "According to {publisher}, about {percent} percent of respondents in {side_a} supported the negotiations.",
    "{side_a} said it had submitted a draft treaty of {pages} pages covering {issue} and {issue2}.",
    "Fighting continued near the front line as the delegations returned to {capital} for consultations.",
    "{role} {person} {verb} the talks would resume online within {days} days.",
    "Officials did not say whether {issue} would be on the agenda when the delegations meet again in {city2}.",
    "In a statement on {day}, the foreign ministry of {host} welcomed the {ordinal} round as a step toward peace.",
    "Analysts said the gap between the positions of {side_a} and {side_b} on {issue} remained wide.",
    "{person2} {stance} {issue2}, saying that {side_b} had broken earlier promises.",
    "The {ordinal} meeting of the two delegations was held behind closed doors and lasted {minutes} minutes.",
]
HEADLINES = [
    "{side_a} and {side_b} end {ordinal} round of talks in {city}",
    "{person} says {issue} remains the key demand",
    "Peace talks in {city}: {number2} prisoners to be exchanged",
    "No breakthrough as {side_a}-{side_b} negotiations resume",
    "{host} offers to host next round of peace talks",
]


def _fill(template: str, rng: random.Random) -> str:
    side_a, side_b = rng.sample(SIDES, 2)
    (person, role, _), (person2, _, _) = rng.sample(PEOPLE, 2)
    (city, host, venue), (city2, _, venue2) = rng.sample(PLACES, 2)
    issue, issue2 = rng.sample(ISSUES, 2)
    noun, phrase = rng.choice(MEASURES)
    day = date(2022, 2, 24) + timedelta(days=rng.randrange(1400))
    day2 = day - timedelta(days=rng.randrange(3, 60))
    text = template.format(
        side_a=side_a, side_b=side_b, person=person, person2=person2, role=role, city=city, city2=city2,
        host=host, venue=venue, venue2=venue2, issue=issue, issue2=issue2, capital=rng.choice(["Kyiv", "Moscow"]),
        day=f"{day:%B} {day.day}", day2=f"{day2:%B} {day2.day}, {day2.year}", month=f"{day:%B}", year=day.year,
        ordinal=rng.choice(ORDINALS), verb=rng.choice(VERBS), stance=rng.choice(STANCES), quote=rng.choice(QUOTES),
        publisher=rng.choice(PUBLISHERS), hours=rng.choice(["two", "three", "four", "six", "nine"]),
        number=f"{rng.randrange(1, 9)}.{rng.randrange(10)} million", number2=f"{rng.randrange(50, 6000):,}",
        measure=noun, measure_phrase=phrase, percent=rng.randrange(10, 90), pages=rng.randrange(5, 40), days=rng.randrange(2, 21),
        minutes=rng.randrange(30, 240))
    return text[0].upper() + text[1:]


def article(seed: int, index: int) -> str:
    """Article `index` of the corpus for `seed`: a headline, a blank line, paragraphs of 3-6 sentences."""
    rng = random.Random(f"{seed}-{index}")
    target = rng.randint(*TARGET_WORDS)
    paragraphs, words = [], 0
    while words < target:
        sentences = [_fill(rng.choice(TEMPLATES), rng) for _ in range(rng.randint(3, 6))]
        paragraphs.append(" ".join(sentences))
        words += sum(len(s.split()) for s in sentences)
    return _fill(rng.choice(HEADLINES), rng) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(out: Path, n: int, seed: int, start: int = 0) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = out / f"synthetic_{i:06d}.txt"
        path.write_text(article(seed, i), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, required=True, help="number of articles")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, required=True, help="folder to write .txt articles into")
    p.add_argument("--start", type=int, default=0, help="index of the first article (to add new ones)")
    args = p.parse_args()
    paths = write_corpus(args.out, args.n, args.seed, args.start)
    print(f"{len(paths)} articles in {args.out}")


if __name__ == "__main__":
    main()
