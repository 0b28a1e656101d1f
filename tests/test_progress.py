"""Issue 16.4: the parse reports progress (a bar on a terminal, counts with rate and time left in the run's log),
and a build ends by saying where the release and the database are, with two queries to try."""
import io

import pandas as pd

from pipeline.cli import main
from pipeline.nlp import progress
from pipeline.nlp.cache import ExtractionCache
from pipeline.nlp.extract import parse_missing


class Log:
    def __init__(self):
        self.lines = []

    def info(self, line):
        self.lines.append(line)


def _advance_by(n):
    progress.advance(n)
    return n


def test_tracker_counts_articles_from_this_process_and_from_workers():
    log = Log()
    with progress.tracking(progress.Tracker("extraction", log, file=io.StringIO())) as tracker:
        progress.start(7)
        progress.advance(2)
        with progress.pool(2) as pool:
            assert sum(pool.imap(_advance_by, [1, 2, 2])) == 5
        assert tracker.done == 7
    assert log.lines[-1].startswith("extraction: 7/7 articles parsed (") and log.lines[-1].endswith("done)")
    progress.advance(1)  # no tracker installed: nothing happens, nothing fails


def test_the_parse_reports_each_article(tmp_path):
    articles = pd.DataFrame({"article_id": ["a1", "a2", "a3"], "published_date": [None] * 3,
                             "text": ["Negotiators met in Geneva on Monday.", "Talks resumed.", "The ceasefire held."]})
    log, bar = Log(), io.StringIO()
    tracker = progress.Tracker("extraction", log, file=bar)
    with progress.tracking(tracker):
        assert parse_missing(articles, ExtractionCache(tmp_path / "cache"), n_process=1) == 3
    assert (tracker.total, tracker.done) == (3, 3)
    assert log.lines and "3/3 articles parsed" in log.lines[-1]


def test_a_build_ends_with_where_things_are_and_two_queries(built_seeds, seeds_dir, capsys):
    assert main(["build", "--input", str(seeds_dir), "--data", str(built_seeds)]) == 0
    out = capsys.readouterr().out
    tail = out[out.index("\nrelease "):]
    assert f"database: {built_seeds / 'parley.duckdb'}" in tail
    assert tail.count(" query \"select") == 2
    assert "extraction: " not in tail  # the counts go to the run's log (and the bar to stderr), before the summary
