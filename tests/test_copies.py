"""Copies of one cleaned text are parsed once, and the tables are exactly those of parsing every copy
(nlp/copies.py; PARLEY_SHARE_COPIES=0 or share_copies=False switches the shortcut off)."""
from datetime import date

import pandas as pd
import pytest

from pipeline.ids import stable_id
from pipeline.nlp import copies, extract
from pipeline.nlp.cache import ExtractionCache
from pipeline.nlp.model import load_nlp

WIRE = ("Delegations from Russia and Ukraine met in Istanbul on Tuesday for the second round of peace talks.\n"
        "Russian Foreign Minister Sergei Lavrov said: \"We are ready for a ceasefire, but not at any price.\"\n"
        "Ukraine demanded the withdrawal of troops, and Russia rejected neutral status. "
        "The sides agreed to exchange 200 prisoners next week.\n"
        "About 3,000 refugees have fled the region since March, officials said.")
OTHER = ("Mediators from Qatar said on Friday that talks between the two sides would resume in Doha next month. "
         "The government offered a ceasefire of 30 days.")
THIRD = "No talks were held this week.\nThe foreign ministry said nothing new."
D1, D2 = date(2022, 3, 30), date(2022, 4, 20)


def corpus(rows):
    """(text, date, is a copy) -> articles with ingest's ids: the first of a text gets the text's id."""
    seen, out = set(), []
    for n, (text, day) in enumerate(rows):
        aid = copies.text_id(text) if text not in seen else stable_id("art", text, f"f{n}.txt", None)
        seen.add(text)
        out.append({"article_id": aid, "text": text, "published_date": day})
    return pd.DataFrame(out)


# the original; an unrelated article; a copy with the same date; another; a copy with another date; a copy of the
# unrelated article with the same date
MIXED = [(WIRE, D1), (OTHER, D1), (WIRE, D1), (THIRD, None), (WIRE, D2), (OTHER, D1)]


@pytest.fixture
def parses(monkeypatch):
    """The number of articles spaCy has parsed in this process (nlp.pipe's docs of the test texts: the extractors
    also pipe their patterns' phrases)."""
    nlp, count = load_nlp(), [0]
    real = nlp.pipe

    def counted(*args, **kwargs):
        for doc in real(*args, **kwargs):
            count[0] += doc.text in (WIRE, OTHER, THIRD)
            yield doc
    monkeypatch.setattr(nlp, "pipe", counted)
    return count


def assert_same(a: dict, b: dict, check_dtype: bool = True):
    assert a.keys() == b.keys()
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table, check_dtype=check_dtype)


def test_copies_are_parsed_once_and_give_the_rows_of_parsing_each(parses, monkeypatch):
    articles = corpus(MIXED)
    extracted, real = [], extract.extract_article
    monkeypatch.setattr(extract, "extract_article", lambda parsed: extracted.append(parsed.article_id) or real(parsed))
    off = extract.extract_corpus(articles, share_copies=False)
    assert parses[0] == 6 and len(extracted) == 6
    on = extract.extract_corpus(articles, share_copies=True)
    assert parses[0] == 6 + 3  # three distinct texts
    # the extractors ran on the three texts and on the copy with another date; the others' rows were re-keyed
    assert extracted[6:] == list(articles["article_id"][[0, 4, 1, 3]])
    assert_same(on, off)
    # every table has rows for the copies, under their own ids, and the other-date copy its own relative dates
    copy_same, copy_other = articles["article_id"][2], articles["article_id"][4]
    for table, df in on.items():
        if table != "extraction_errors":
            assert {copy_same, copy_other} <= set(df["article_id"]), table
    dates = on["dates"].set_index("article_id")
    assert set(dates.loc[copy_other, "date_start"]) != set(dates.loc[articles["article_id"][0], "date_start"])
    # in tasks of two articles the copies join their original's task; the rows still come in the corpus's order
    # (the candidates' dtypes follow the tasks' DataFrames, as without copies: test_extraction_cache)
    monkeypatch.setattr(extract, "TASK_ARTICLES", 2)
    assert_same(extract.extract_corpus(articles, share_copies=True), off, check_dtype=False)


def test_the_setting_switches_the_shortcut_off(parses, monkeypatch):
    monkeypatch.setenv(copies.ENV, "0")
    extract.extract_fresh(corpus(MIXED[:3]), n_process=1)
    assert parses[0] == 3
    monkeypatch.setenv(copies.ENV, "maybe")
    with pytest.raises(ValueError, match=copies.ENV):
        copies.enabled()


def test_cached_path_parses_each_text_once_and_a_rerun_with_new_copies_parses_nothing(tmp_path, parses):
    articles = corpus(MIXED)
    off, _ = extract.extract_files(articles, ExtractionCache(tmp_path / "off", version="v1"), share_copies=False)
    parses[0] = 0
    cache = ExtractionCache(tmp_path / "on", version="v1")
    on, _ = extract.extract_files(articles.iloc[:4], cache, n_process=1, share_copies=True)
    assert parses[0] == 3
    on, parsed = extract.extract_files(articles, cache, n_process=1, share_copies=True)
    # the new copies: one of a cached text and date, re-keyed from the cache; one with another date, parsed
    assert parses[0] == 3 + 1
    assert parsed == 1  # article 4 (its date differs); article 5 re-keyed from article 1's cached rows
    for table, path in off.items():
        assert path.read_bytes() == on[table].read_bytes(), table
    assert extract.parse_missing(articles, cache, n_process=1, share_copies=True) == 0
    assert parses[0] == 4


def test_a_failed_extraction_is_not_copied_but_run_again(monkeypatch):
    def broken(parsed):
        raise RuntimeError("no claims today")
    monkeypatch.setattr(extract, "extract_claims", broken)
    articles = corpus(MIXED[:3])
    on = extract.extract_corpus(articles, share_copies=True)
    assert list(on["extraction_errors"]["article_id"]) == list(articles["article_id"])
    assert_same(on, extract.extract_corpus(articles, share_copies=False))


def test_rekey_remakes_every_id_from_the_article_id():
    old, new = "art-old", "art-new"
    row = {"article_id": old, "start": 3, "end": 9, "claim_id": stable_id("claim", old, 3, 9),
           "sentence_id": f"{old}-s0002", "paragraph_id": f"{old}-p001", "actor_id": "putin", "text": "x"}
    moved = copies.rekey_row(row, old, new)
    assert moved == {**row, "article_id": new, "claim_id": stable_id("claim", new, 3, 9),
                     "sentence_id": f"{new}-s0002", "paragraph_id": f"{new}-p001"}
    assert row["article_id"] == old  # the original's row is left as it was


@pytest.mark.parametrize("change", [
    {"claim_id": stable_id("claim", "art-old", 3, 10)},   # an id made another way than the known recipe
    {"event_id": "ev-1"},                                 # an id column not known to be foreign or derived
    {"note": "see art-old"},                              # the article id inside another value
    {"people": ["art-old-x"]},
    {"sentence_id": "other-s0001"},
])
def test_rekey_refuses_what_it_cannot_remake_exactly(change):
    old = "art-old"
    row = {"article_id": old, "start": 3, "end": 9, "claim_id": stable_id("claim", old, 3, 9),
           "sentence_id": f"{old}-s0002", **change}
    assert copies.rekey_row(row, old, "art-new") is None
    assert copies.rekey({"claims": [row]}, old, "art-new") is None


def test_packing_keeps_copies_together_and_is_plain_slicing_without_copies():
    items = [(f"a{i}", f"text {i}", None) for i in range(7)]
    assert copies.pack(items, 3) == [items[0:3], items[3:6], items[6:7]]
    with_copies = items[:2] + [("c0", "text 0", None)] + items[2:]
    tasks = copies.pack(with_copies, 3)
    assert tasks[0] == [items[0], ("c0", "text 0", None), items[1]]
    assert sorted(i for task in tasks for i in task) == sorted(with_copies)


def test_packing_asks_a_size_function_as_each_task_opens():
    items = [(f"a{i}", f"text {i}", None) for i in range(10)]
    asked = []

    def size(left):
        asked.append(left)
        return 4 if left > 6 else 2

    tasks = copies.pack(items, size)
    assert [len(task) for task in tasks] == [4, 2, 2, 2]
    assert asked == [10, 6, 4, 2]
    assert [item for task in tasks for item in task] == items


@pytest.mark.slow  # two full builds of the seeds and three copies (about 2 minutes on 2 cores)
def test_released_tables_with_copies_are_those_built_without_the_shortcut(tmp_path, seeds_dir, monkeypatch):
    """Seeds plus copies of a seed (same text and date; same text, another date; a copy of another seed): every
    Parquet table of the release is the same with the shortcut on and off."""
    import shutil

    import pyarrow.parquet as pq

    from pipeline.cli import main
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    first, second = sorted(p.name for p in corpus.glob("*.txt"))[:2]
    for name, source in (("copy_same.txt", first), ("copy_other.txt", first), ("copy_second.txt", second)):
        shutil.copyfile(corpus / source, corpus / name)
    (corpus / "manifest.csv").write_text(f"file,published_date\n{first},2022-03-01\ncopy_same.txt,2022-03-01\n"
                                         f"copy_other.txt,2022-03-04\n", encoding="utf-8")
    releases, parsed = {}, []
    real = copies.parse_articles  # the build runs its steps in this process (in_process executor, < 40 articles)
    monkeypatch.setattr(copies, "parse_articles", lambda *a, **kw: (parsed.append(p) or p for p in real(*a, **kw)))
    for mode in ("0", "1"):
        monkeypatch.setenv(copies.ENV, mode)
        data = tmp_path / f"data-{mode}"
        parsed.clear()
        assert main(["build", "--input", str(corpus), "--data", str(data)]) == 0
        releases[mode] = data / "releases" / (data / "releases" / "LATEST").read_text().strip()
        assert len(parsed) == (8 if mode == "0" else 5), mode  # five seeds and three copies; five texts
    articles = pq.read_table(releases["1"] / "articles.parquet").to_pandas()
    assert articles["duplicate_of"].notna().sum() >= 3
    tables = sorted(p.name for p in releases["0"].glob("*.parquet"))
    assert tables == sorted(p.name for p in releases["1"].glob("*.parquet")) and "sentences.parquet" in tables
    for name in tables:
        assert pq.read_table(releases["0"] / name).equals(pq.read_table(releases["1"] / name)), name
