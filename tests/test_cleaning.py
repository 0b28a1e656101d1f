from datetime import date

from pipeline.ingest.cleaning import clean_article, is_boilerplate, looks_like_title, normalise


def test_headline_first_line_is_title():
    c = clean_article("Talks in Doha End Without Deal\n\nThe two delegations met on Monday. They left.")
    assert c.title == "Talks in Doha End Without Deal"
    assert c.text.startswith("The two delegations")


def test_sentence_first_line_is_not_title():
    c = clean_article("A round of talks has ended without a deal, officials said.\nMore follows here.")
    assert c.title is None
    assert c.text.startswith("A round of talks")


def test_long_first_paragraph_is_not_title():
    first = "Negotiators met in Geneva for a third day and " + "discussed many points " * 10
    assert not looks_like_title(first, ["next"])


def test_title_needs_following_text():
    assert not looks_like_title("Only a headline", [])


def test_metadata_title_wins_and_is_removed_from_body():
    c = clean_article("Big Headline\nBody text goes here.", title="Big Headline")
    assert c.title == "Big Headline" and c.text == "Body text goes here."


def test_boilerplate_lines_move_to_removed_lines():
    raw = ("Envoys Meet Again\nThe envoys met.\nPhoto credit: Some Agency\nShow More\nBack to top button\n"
           "Related Sources:\nBe the first to comment\nLeave a Reply\nYour email address will not be published.\n"
           "Share this article\nThe talks continue.")
    c = clean_article(raw)
    assert c.text == "The envoys met.\nThe talks continue."
    assert c.removed_lines == ["Photo credit: Some Agency", "Show More", "Back to top button", "Related Sources:",
                               "Be the first to comment", "Leave a Reply", "Your email address will not be published.",
                               "Share this article"]


def test_ordinary_lines_are_not_boilerplate():
    for line in ("Show me the agreement, he said.", "The photo shows the delegation.", "Comments were made."):
        assert not is_boilerplate(line)


def test_wire_signoff_sets_publisher():
    c = clean_article("Heading Here\nThe talks were by no means over. -Xinhua")
    assert c.publisher == "Xinhua"
    assert c.text.endswith("by no means over.")
    assert "-Xinhua" in c.removed_lines


def test_unicode_and_whitespace_normalised():
    assert normalise("a\u00a0 b\u200b c\r\nd\x07") == "a b c\nd"


def test_seed_titles_and_removed_lines(seeds_dir):
    cleaned = {p.name[:3]: clean_article(p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))}
    assert cleaned["000"].title is None and cleaned["003"].title is None
    assert cleaned["001"].title and cleaned["002"].title and cleaned["004"].title
    assert {"Be the first to comment", "Leave a Reply"} <= set(cleaned["001"].removed_lines)
    assert {"Show More", "Back to top button"} <= set(cleaned["002"].removed_lines)
    assert "Related Sources:" in cleaned["004"].removed_lines
    assert cleaned["002"].publisher == "Xinhua"


def test_page_chrome_lines_are_boilerplate():
    for line in ("Updated: 4 May 2021 10:15 GMT", "Updated 4 May 2021, 10:15", "Last updated 04/05/2021",
                 "Published 3 June 2019", "Published June 3, 2019 | Updated June 4, 2019",
                 "Related: Envoys prepare for a second round", "Source: Harbour Daily",
                 "Syndicated from Harbour Daily. All rights reserved.", "Print this page",
                 "Follow Jane Roe on Twitter", "Comments are closed.", "Log in to comment",
                 "This site uses cookies to give you a better experience. Read our policy.", "Accept", "OK",
                 "Cookie settings | Privacy policy", "Share | Print | Email", "Desk Name | Region",
                 "Home > Africa > Sudan", "Harbour Review \u2014 Analysis"):
        assert is_boilerplate(line), line


def test_sentences_near_chrome_stay_text():
    for line in ("Updated figures show 4,000 people were displaced, officials said.",
                 "The delegation published its proposals on 3 June 2019 after two days of talks.",
                 "Sources close to the talks said the text was agreed.", "He said he would accept the terms.",
                 "Both sides use cookies as gifts, a delegate joked, and the talks went on.",
                 "The ceasefire will be monitored by observers | said the envoy, who declined to elaborate."):
        assert not is_boilerplate(line), line


def test_related_list_removes_the_headlines_it_lists():
    raw = ("Envoys Meet Again\nThe envoys met in the capital on Monday.\nMost read\n"
           "Rebels and army trade fire near the border\nWho are the mediators? A profile\n"
           "The talks will continue next week, the envoy said.\nMore from Region")
    c = clean_article(raw)
    assert c.text == "The envoys met in the capital on Monday.\nThe talks will continue next week, the envoy said."
    assert c.removed_lines == ["Most read", "Rebels and army trade fire near the border",
                               "Who are the mediators? A profile", "More from Region"]


def test_trailing_site_name_is_removed_but_not_a_last_sentence():
    c = clean_article("Heading Here\nThe talks ended.\nHarbour Daily Online")
    assert c.text == "The talks ended." and c.removed_lines == ["Harbour Daily Online"]
    c = clean_article("Heading Here\nThe talks ended.\nBoth sides will meet again in May.")
    assert c.removed_lines == []


def test_page_time_stamp_dates_the_article():
    c = clean_article("Heading Here\nUpdated 4 May 2021, 10:15 GMT\nThe talks ended on Monday.")
    assert c.stamped_date == date(2021, 5, 4) and c.text == "The talks ended on Monday."
    assert clean_article("Heading Here\nLast updated 05/04/2021\nThe talks ended.").stamped_date == date(2021, 4, 5)
    assert clean_article("Heading Here\nThe talks ended in May 2021.").stamped_date is None


def test_a_bare_date_line_at_the_top_dates_the_article_and_is_removed():
    for line in ("August 8, 2025", "8 August 2025", "Aug. 8, 2025 10:32 GMT", "Friday, August 8, 2025"):
        c = clean_article(f"Truce Talks Resume in Cairo\nBy A. Writer\n{line}\nThe mediators met on Monday.\nMore.")
        assert c.stamped_date == date(2025, 8, 8) and line in c.removed_lines and line not in c.text
        assert c.title == "Truce Talks Resume in Cairo"
    first = clean_article("8 August 2025\nTruce Talks Resume\nThe mediators met on Monday.\nMore.")
    assert first.stamped_date == date(2025, 8, 8) and first.title == "Truce Talks Resume"  # a date is no title


def test_relative_stamps_prose_dates_and_timeline_dates_give_no_date():
    for line in ("3 hours ago", "Updated 3 hours ago", "The truce began on August 8, 2025.", "August 2025"):
        c = clean_article(f"Truce Talks Resume\n{line}\nThe mediators met on Monday.\nMore.")
        assert c.stamped_date is None
    body = "\n".join(["Truce Talks Resume", "One.", "Two.", "Three.", "Four.", "Five.", "January 19, 2025", "Six."])
    c = clean_article(body)  # far down the page a date alone heads a timeline entry: kept, not the article's date
    assert c.stamped_date is None and "January 19, 2025" in c.text
