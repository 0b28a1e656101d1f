"""Wire credit lines, reading-time badges and relative time stamps are page chrome (boilerplate.yaml)."""
import pytest

from pipeline.ingest.cleaning import is_boilerplate, stamped_date


@pytest.mark.parametrize("line", [
    "Reporting by Jane Roe; Editing by John Doe",
    "(Reporting by Jane Roe in Cairo and Sam Poe in Doha; editing by John Doe)",
    "Additional reporting by Ann Lee",
    "5 min read",
    "12-minute read",
    "Updated 3 hours ago",
    "Published: 45 minutes ago",
    "Updated an hour ago",
])
def test_chrome_lines_are_removed(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Reporting by the agency found that the truce was broken twice in the first week.",
    "The mediators read the draft for five minutes before the session resumed.",
    "Hamas said it had agreed to the proposal two days ago.",
    "By the end of the third day of talks, no deal had been reached.",
])
def test_article_sentences_are_kept(line):
    assert not is_boilerplate(line)


def test_a_relative_time_stamp_gives_no_publication_date():
    assert stamped_date(["Updated 3 hours ago"]) is None
    assert stamped_date(["Updated 25 March 2025, 21:40 GMT"]).isoformat() == "2025-03-25"
