"""Bad input: each case gives a rejected_inputs row (or a clear error) and every good file beside it is ingested.

tests/test_ingest.py covers the basic cases (empty, NUL, too large, unsupported type, a legacy encoding each,
HTML with no article, a bad JSON line, manifest rows that leave the folder, an outside symlink, a duplicate);
this file covers the rest and the corners of each.
"""
import builtins
import codecs
import io
import json
import os
from pathlib import Path

import pytest

from pipeline.ingest import files as files_module
from pipeline.ingest.articles import ingest_folder
from pipeline.publish.arrow import to_arrow
from schemas import schema_for
from schemas.rejected_inputs import REASONS

BODY = "Delegations from both countries met in Geneva on Monday for a second round of talks. They agreed to meet again."


def ingest(folder: Path, **kwargs):
    """ingest_folder, plus the checks every case shares: both tables pass their schemas and convert to Arrow
    (what the release writes), and no reason outside the codebook's vocabulary appears."""
    articles, rejected = ingest_folder(folder, **kwargs)
    schema_for("articles").validate(articles)
    schema_for("rejected_inputs").validate(rejected)
    to_arrow(articles), to_arrow(rejected)
    assert set(rejected["reason"]) <= set(REASONS)
    return articles, rejected


def reasons(rejected) -> dict[str, str]:
    return dict(zip(rejected["source_file"], rejected["reason"]))


def with_good(folder: Path) -> Path:
    (folder / "good.txt").write_text(BODY, encoding="utf-8")
    return folder


def test_whitespace_only_in_every_format(tmp_path):
    with_good(tmp_path)
    (tmp_path / "spaces.txt").write_text("\u00a0 \u2003\n\r\n\t \u200b\ufeff", encoding="utf-8")
    (tmp_path / "blank.jsonl").write_text("\n \n\n", encoding="utf-8")
    (tmp_path / "none.json").write_text("[]", encoding="utf-8")
    (tmp_path / "blank.html").write_text("   ", encoding="utf-8")
    articles, rejected = ingest(tmp_path)
    assert list(articles["source_file"]) == ["good.txt"]
    assert reasons(rejected) == {"spaces.txt": "empty", "blank.jsonl": "empty", "none.json": "empty",
                                 "blank.html": "no_article"}


def test_binary_control_bytes_and_undecodable(tmp_path):
    with_good(tmp_path)
    (tmp_path / "controls.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 100 + BODY.encode())
    (tmp_path / "nul.jsonl").write_bytes(json.dumps({"text": BODY}).encode() + b"\x00")
    (tmp_path / "junk.txt").write_bytes(bytes(range(128, 256)) * 40)
    (tmp_path / "fake16.txt").write_bytes(codecs.BOM_UTF16_LE + b"\x01\x00\x02\x00" * 50)
    articles, rejected = ingest(tmp_path)
    assert list(articles["source_file"]) == ["good.txt"]
    got = reasons(rejected)
    assert got["controls.txt"] == got["nul.jsonl"] == got["fake16.txt"] == "binary"
    assert got["junk.txt"] in ("undecodable", "binary")


def test_byte_order_marks_are_decoded_not_rejected(tmp_path):
    (tmp_path / "u16.txt").write_bytes(("Talks in Kyiv. " + BODY).encode("utf-16"))
    (tmp_path / "u32.txt").write_bytes(("Talks in Minsk. " + BODY).encode("utf-32"))
    (tmp_path / "sig.txt").write_bytes(codecs.BOM_UTF8 + ("Talks in Genève. " + BODY).encode())
    # A UTF-8 mark on cp1252 text (a bad editor save): the mark is dropped and the rest detected.
    (tmp_path / "liar.txt").write_bytes(codecs.BOM_UTF8 + ("Talks in Genève. " + BODY).encode("cp1252"))
    articles, rejected = ingest(tmp_path)
    assert rejected.empty
    enc = dict(zip(articles["source_file"], articles["encoding"]))
    assert (enc["u16.txt"], enc["u32.txt"], enc["sig.txt"]) == ("utf-16", "utf-32", "utf-8-sig")
    assert enc["liar.txt"] not in ("utf-8", "utf-8-sig")
    texts = dict(zip(articles["source_file"], articles["text"]))
    assert "Kyiv" in texts["u16.txt"] and "Minsk" in texts["u32.txt"] and "Genève" in texts["liar.txt"]


def test_legacy_encodings_in_json_and_html(tmp_path):
    (tmp_path / "ru.jsonl").write_bytes(json.dumps({"text": "Переговоры в Стамбуле продолжились. Делегации "
                                                            "встретились снова."}, ensure_ascii=False).encode("cp1251"))
    para = "<p>Café talks in Genève resumed. " + BODY + "</p>"
    (tmp_path / "fr.html").write_bytes(f"<html><body><article>{para * 3}</article></body></html>".encode("latin-1"))
    ru = "<p>Переговоры в Стамбуле продолжились. " + BODY + "</p>"
    (tmp_path / "ru.html").write_bytes(f'<html><head><meta charset="koi8-r"></head><body><article>{ru * 3}</article>'
                                       f'</body></html>'.encode("koi8-r"))
    articles, rejected = ingest(tmp_path)
    assert rejected.empty and len(articles) == 3
    assert (articles["encoding"] != "utf-8").all()
    texts = dict(zip(articles["source_file"], articles["text"]))
    assert "Переговоры" in texts["ru.jsonl"] and "Genève" in texts["fr.html"] and "Переговоры" in texts["ru.html"]
    assert dict(zip(articles["source_file"], articles["encoding"]))["ru.html"] == "koi8-r"


def test_size_limit_is_a_parameter_and_an_env_var(tmp_path, monkeypatch):
    with_good(tmp_path)
    (tmp_path / "big.jsonl").write_text(json.dumps({"text": BODY * 20}), encoding="utf-8")
    articles, rejected = ingest(tmp_path, max_bytes=len(BODY) + 1)
    assert list(articles["source_file"]) == ["good.txt"] and reasons(rejected) == {"big.jsonl": "too_large"}
    assert rejected["bytes"].iloc[0] > len(BODY)
    monkeypatch.setenv("PARLEY_MAX_FILE_BYTES", str(len(BODY) + 1))
    assert reasons(ingest(tmp_path)[1]) == {"big.jsonl": "too_large"}
    monkeypatch.setenv("PARLEY_MAX_FILE_BYTES", "lots")
    with pytest.raises(ValueError, match="PARLEY_MAX_FILE_BYTES"):
        ingest_folder(tmp_path)
    with pytest.raises(ValueError, match="at least 1"):
        ingest_folder(tmp_path, max_bytes=0)


def test_file_that_grows_past_the_limit_after_listing(tmp_path, monkeypatch):
    """The size checked at listing time is not trusted: reading stops at the limit."""
    with_good(tmp_path)
    grower = tmp_path / "grows.txt"
    grower.write_text("x", encoding="utf-8")
    real_discover = files_module.discover

    def discover_then_grow(folder, data_dir=None):
        found = real_discover(folder, data_dir)
        grower.write_text(BODY * 100, encoding="utf-8")
        return found

    monkeypatch.setattr("pipeline.ingest.articles.discover", discover_then_grow)
    articles, rejected = ingest(tmp_path, max_bytes=1000)
    assert list(articles["source_file"]) == ["good.txt"] and reasons(rejected) == {"grows.txt": "too_large"}


def test_malformed_json_every_kind_keeps_good_records(tmp_path):
    good = json.dumps({"text": BODY})
    lines = [good, "[" * 100_000, "1" * 5000, '"just a string"', json.dumps({"text": 42}), "{'single': 'quotes'}",
             json.dumps({"text": BODY + " Second.", "title": {"nested": True}, "url": 7, "published_date": 2022,
                         "publisher": ["A", {"b": 1}]})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    (tmp_path / "mixed.json").write_text(json.dumps([{"text": BODY + " Third."}, "nope", {"no": "text"}]),
                                         encoding="utf-8")
    articles, rejected = ingest(tmp_path)
    assert sorted(articles["source_file"]) == ["feed.jsonl", "feed.jsonl", "mixed.json"]
    odd = articles[articles["text"].str.contains("Second")].iloc[0]
    assert (odd["title"], odd["url"], odd["published_date"], odd["publisher"]) == \
        ('{"nested": true}', "7", None, 'A, {"b": 1}')
    feed = rejected[rejected["source_file"] == "feed.jsonl"]
    assert sorted(feed["reason"]) == ["malformed_json"] * 4 + ["no_text"]
    assert sorted(int(d.split(":")[0].split()[1]) for d in feed["detail"]) == [2, 3, 4, 5, 6]
    assert reasons(rejected[rejected["source_file"] == "deep.json"]) == {"deep.json": "malformed_json"}
    assert sorted(rejected[rejected["source_file"] == "mixed.json"]["reason"]) == ["malformed_json", "no_text"]


def test_a_parser_crash_costs_one_file_not_the_run(tmp_path, monkeypatch):
    with_good(tmp_path)
    (tmp_path / "page.html").write_text("<html><body><p>" + BODY * 3 + "</p></body></html>", encoding="utf-8")

    def explode(*args, **kwargs):
        raise RecursionError("lxml gave up")

    monkeypatch.setattr("trafilatura.bare_extraction", explode)
    articles, rejected = ingest(tmp_path)
    assert list(articles["source_file"]) == ["good.txt"]
    assert reasons(rejected) == {"page.html": "unreadable"} and "RecursionError" in rejected["detail"].iloc[0]


def test_manifest_corners(tmp_path):
    with_good(tmp_path)
    (tmp_path / "b.txt").write_text(BODY + " B.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_bytes(
        ("file,title,published_date,Notes\n"
         "good.txt,First,2022-03-29T10:00:00Z,x\n"
         "good.txt,Second,,\n"
         ",orphan,,\n"
         "C:\\Windows\\win.ini,,,\n"
         "sub/../../x.txt,,,\n"
         "b.txt,Café,29/03/2022,\n").encode("cp1252"))
    articles, rejected = ingest(tmp_path)
    by_file = articles.set_index("source_file")
    assert by_file.loc["good.txt", "title"] == "First"
    assert str(by_file.loc["good.txt", "published_date"]) == "2022-03-29"
    assert by_file.loc["b.txt", "title"] == "Café" and by_file.loc["b.txt", "published_date"] is None
    assert reasons(rejected) == {"manifest.csv": "manifest_unknown_column", "manifest.csv:3": "malformed_manifest",
                                 "manifest.csv:4": "malformed_manifest", "manifest.csv:5": "outside_folder",
                                 "manifest.csv:6": "outside_folder", "manifest.csv:7": "manifest_bad_date"}


def test_unusable_manifest_never_stops_the_articles(tmp_path):
    with_good(tmp_path)
    (tmp_path / "manifest.csv").write_bytes(b"\x00\x01binary" * 50)
    articles, rejected = ingest(tmp_path)
    assert list(articles["source_file"]) == ["good.txt"] and reasons(rejected) == {"manifest.csv": "malformed_manifest"}
    (tmp_path / "manifest.csv").write_text("title,url\nx,y\n", encoding="utf-8")
    articles, rejected = ingest(tmp_path)
    assert len(articles) == 1 and list(rejected["detail"]) == ["no 'file' column"]


def test_manifest_names_match_whatever_unicode_normal_form(tmp_path):
    decomposed = "Zu\u0308rich talks.txt"  # how macOS stores 'ü'
    (tmp_path / decomposed).write_text(BODY, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,publisher\nZ\u00fcrich talks.txt,Neue Zeitung\n", encoding="utf-8")
    articles, rejected = ingest(tmp_path)
    assert rejected.empty and articles.iloc[0]["publisher"] == "Neue Zeitung"


@pytest.fixture
def opened_paths(monkeypatch):
    """Record every path opened through os.open, open() or io.open (pathlib's read_* use io.open), so a test
    can prove a file was never read: running as root, a chmod 000 file would not prove it."""
    opened = []

    def spying(real):
        def spy(path, *args, **kwargs):
            if isinstance(path, (str, bytes, os.PathLike)):
                opened.append(os.path.realpath(os.fsdecode(path)))
            return real(path, *args, **kwargs)
        return spy

    monkeypatch.setattr(os, "open", spying(os.open))
    monkeypatch.setattr(builtins, "open", spying(builtins.open))
    monkeypatch.setattr(io, "open", spying(io.open))
    return opened


def test_links_out_of_the_folder_are_never_read(tmp_path, opened_paths):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.txt").write_text("file,title\ngood.txt,leaked " + BODY, encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    with_good(folder)
    os.symlink(secret / "passwords.txt", folder / "manifest.csv")
    os.symlink(secret / "passwords.txt", folder / "notes.txt")
    os.symlink(secret, folder / "more")
    (folder / "sub").mkdir()
    os.symlink("../../secret/passwords.txt", folder / "sub" / "relative.txt")
    opened_paths.clear()
    articles, rejected = ingest(folder)
    assert list(articles["source_file"]) == ["good.txt"] and articles.iloc[0]["title"] is None
    assert reasons(rejected) == {"manifest.csv": "outside_folder", "notes.txt": "outside_folder",
                                 "more": "outside_folder", "sub/relative.txt": "outside_folder"}
    assert any(p.endswith("good.txt") for p in opened_paths)  # the spy sees reads
    assert not any("secret" in p for p in opened_paths)
    assert "leaked" not in " ".join(rejected["detail"])


def test_symlinks_inside_the_folder(tmp_path):
    with_good(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(BODY + " A.", encoding="utf-8")
    os.symlink(tmp_path / "good.txt", tmp_path / "alias.txt")   # a second name for one article
    os.symlink(tmp_path / "sub", tmp_path / "folder-link")      # would ingest sub/ twice if followed
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    os.symlink("loop.txt", tmp_path / "loop.txt")
    articles, rejected = ingest(tmp_path)
    assert sorted(articles["source_file"]) == ["alias.txt", "good.txt", "sub/a.txt"]
    assert articles.set_index("source_file").loc["good.txt", "duplicate_of"] is not None
    assert reasons(rejected) == {"folder-link": "unreadable", "dangling.txt": "unreadable", "loop.txt": "symlink_loop"}


def test_names_with_spaces_non_ascii_and_non_utf8_bytes(tmp_path):
    names = ["with space.txt", "ü ñ 北京 переговоры.txt", "emoji 🕊️.txt", "new\nline.txt", "quote's \"x\".txt"]
    for i, name in enumerate(names):
        (tmp_path / name).write_text(f"{BODY} Number {i}.", encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9 latin1 name.txt"), "w", encoding="utf-8") as f:
        f.write(BODY + " Latin.")
    (tmp_path / "manifest.csv").write_text('file,title\n"ü ñ 北京 переговоры.txt",Beijing\n"new\nline.txt",NL\n',
                                           encoding="utf-8")
    articles, rejected = ingest(tmp_path)
    assert rejected.empty and len(articles) == len(names) + 1
    assert set(names) < set(articles["source_file"])
    assert "caf\\xe9 latin1 name.txt" in set(articles["source_file"])  # recorded readably, not dropped
    titles = dict(zip(articles["source_file"], articles["title"]))
    assert titles["ü ñ 北京 переговоры.txt"] == "Beijing" and titles["new\nline.txt"] == "NL"


def test_the_same_article_under_two_names_and_two_formats(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b copy.txt").write_text("\ufeff  " + BODY.replace(" ", "  ") + "\r\n\r\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": BODY}) + "\n" + json.dumps({"text": BODY}), encoding="utf-8")
    articles, _ = ingest(tmp_path)
    assert len(articles) == 4 and articles["article_id"].is_unique
    original = articles[articles["duplicate_of"].isna()]
    assert list(original["source_file"]) == ["a.txt"]
    assert set(articles["duplicate_of"].dropna()) == {original.iloc[0]["article_id"]}


def test_permission_denied_and_vanished_files(tmp_path, monkeypatch):
    """The test may run as root (which reads anything), so the OS errors are raised by a patched open."""
    with_good(tmp_path)
    for name in ("locked.txt", "vanishes.txt"):
        (tmp_path / name).write_text(BODY + name, encoding="utf-8")
    real_open = os.open

    def failing_open(path, *args, **kwargs):
        name = os.path.basename(path)
        if name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        if name == "vanishes.txt":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing_open)
    articles, rejected = ingest(tmp_path)
    assert list(articles["source_file"]) == ["good.txt"]
    assert reasons(rejected) == {"locked.txt": "unreadable", "vanishes.txt": "unreadable"}
    assert sorted(rejected["detail"]) == ["No such file or directory", "Permission denied"]


def test_file_deleted_between_listing_and_reading(tmp_path, monkeypatch):
    with_good(tmp_path)
    doomed = tmp_path / "doomed.txt"
    doomed.write_text(BODY + " Doomed.", encoding="utf-8")
    real_discover = files_module.discover

    def discover_then_delete(folder, data_dir=None):
        found = real_discover(folder, data_dir)
        doomed.unlink()
        return found

    monkeypatch.setattr("pipeline.ingest.articles.discover", discover_then_delete)
    articles, rejected = ingest(tmp_path)
    assert list(articles["source_file"]) == ["good.txt"] and reasons(rejected) == {"doomed.txt": "unreadable"}


def test_unlistable_folder_and_special_files(tmp_path, monkeypatch):
    with_good(tmp_path)
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "x.txt").write_text(BODY, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # reading a FIFO would block the run for ever
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.basename(path) == "private":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    articles, rejected = ingest(tmp_path)
    assert list(articles["source_file"]) == ["good.txt"]
    assert reasons(rejected) == {"private": "unreadable", "pipe.txt": "unreadable"}


# Issue 14 item 3: nothing changed silently in decoding; every odd name gets its own row.

def test_utf8_with_a_legacy_tail_is_decoded_line_by_line_and_said(tmp_path):
    utf8 = "Delegations met in Zürich on Monday for talks.\nThe mediator from Malmö spoke first.\n"
    tail = "Le négociateur a quitté Genève mardi.\nIl reviendra à la fin du mois.\n"
    (tmp_path / "mixed.txt").write_bytes(utf8.encode("utf-8") + tail.encode("cp1252"))
    articles, rejected = ingest(tmp_path)
    row = articles.set_index("source_file").loc["mixed.txt"]
    assert rejected.empty
    assert "Zürich" in row["text"] and "Malmö" in row["text"] and "Genève" in row["text"] and "Ã" not in row["text"]
    assert row["encoding"] == "utf-8+cp1252"
    assert row["encoding_repair"] == "2 lines not UTF-8 (lines 3-4), decoded as cp1252"


def test_mojibake_saved_as_utf8_is_repaired_and_said(tmp_path):
    garbled = ("Talks in Zürich resumed. " + BODY).encode("utf-8").decode("cp1252").encode("utf-8")  # "ZÃ¼rich"
    (tmp_path / "garbled.txt").write_bytes(garbled)
    (tmp_path / "clean.txt").write_text("“Talks” – in Zürich … resumed. " + BODY, encoding="utf-8")
    articles = ingest(tmp_path)[0].set_index("source_file")
    assert "Zürich" in articles.loc["garbled.txt", "text"]
    assert articles.loc["garbled.txt", "encoding_repair"] == "mojibake repaired (ftfy.fix_encoding)"
    # Correct text with curly quotes, dashes and accents is left exactly as it was.
    assert articles.loc["clean.txt", "text"].startswith("“Talks” – in Zürich … resumed.")
    assert articles.loc["clean.txt", "encoding_repair"] is None


def test_utf16_without_a_byte_order_mark_is_an_article(tmp_path):
    (tmp_path / "le.txt").write_bytes(("Talks in Kyiv. " + BODY).encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(("Talks in Minsk. " + BODY).encode("utf-16-be"))
    articles, rejected = ingest(tmp_path)
    assert rejected.empty
    enc = dict(zip(articles["source_file"], articles["encoding"]))
    assert enc == {"le.txt": "utf-16-le", "be.txt": "utf-16-be"}
    assert all(text.endswith("meet again.") for text in articles["text"])


def test_a_symlink_loop_is_not_a_broken_symlink(tmp_path):
    with_good(tmp_path)
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    rejected = ingest(tmp_path)[1].set_index("source_file")
    assert rejected.loc[["a.txt", "b.txt"], "reason"].tolist() == ["symlink_loop"] * 2
    assert "leads back to itself" in rejected.loc["a.txt", "detail"]
    assert rejected.loc["dangling.txt", "detail"] == "broken symlink"


def test_a_folder_named_like_an_article_gets_a_row(tmp_path):
    with_good(tmp_path)
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "feed.json").mkdir()
    (tmp_path / "feed.json" / "inner.txt").write_text(BODY + " Inner.", encoding="utf-8")
    (tmp_path / "plain-folder").mkdir()
    articles, rejected = ingest(tmp_path)
    assert sorted(articles["source_file"]) == ["feed.json/inner.txt", "good.txt"]
    assert reasons(rejected) == {"x.txt": "not_a_file", "feed.json": "not_a_file"}
    assert dict(zip(rejected["source_file"], rejected["detail"]))["x.txt"] == "a folder, not a file (empty)"


def test_pretty_printed_json_with_one_bad_comma_is_one_error(tmp_path):
    with_good(tmp_path)
    record = json.dumps({"title": "Talks", "text": BODY, "url": "https://example.org/a"}, indent=2)
    (tmp_path / "pretty.json").write_text(record.replace('",', '",,', 1), encoding="utf-8")
    (tmp_path / "lines.json").write_text(json.dumps({"text": BODY + " L1."}) + "\n{broken\n", encoding="utf-8")
    articles, rejected = ingest(tmp_path)
    pretty = rejected[rejected["source_file"] == "pretty.json"]
    assert pretty["reason"].tolist() == ["malformed_json"]
    assert pretty["detail"].iloc[0].startswith("not valid JSON (line 2 column")
    # JSON lines saved as .json are still read line by line, the good line kept.
    assert sorted(articles["source_file"]) == ["good.txt", "lines.json"]
    assert rejected[rejected["source_file"] == "lines.json"]["detail"].tolist() == ["line 2: Expecting property name enclosed in double quotes"]


def test_unbalanced_quote_in_manifest_is_said_and_swallows_nothing(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"{BODY} File {name}.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        'file,publisher,title\na.txt,Daily,"Talks resume\nb.txt,Weekly,Second talks\nc.txt,Monthly,Third talks\n',
        encoding="utf-8")
    articles, rejected = ingest(tmp_path)
    assert reasons(rejected) == {"manifest.csv:2": "malformed_manifest"}
    assert rejected["detail"].iloc[0].startswith("unbalanced quote")
    publishers = dict(zip(articles["source_file"], articles["publisher"]))
    assert publishers == {"a.txt": None, "b.txt": "Weekly", "c.txt": "Monthly"}


# Issue 14 item 8: a data folder inside the input folder is not input.

def test_a_parley_data_folder_inside_the_input_is_left_out_with_a_row(tmp_path):
    with_good(tmp_path)
    old = tmp_path / "old-data"  # a data folder of an earlier build: recognised by what a build writes
    (old / "releases" / "20240101-abc").mkdir(parents=True)
    (old / "releases" / "20240101-abc" / "README.md").write_text("# a release card", encoding="utf-8")
    (old / "releases" / "LATEST").write_text("20240101-abc", encoding="utf-8")
    fresh = tmp_path / "data"  # this build's --data, before anything was written to it
    (fresh / "work").mkdir(parents=True)
    (fresh / "work" / "notes.txt").write_text(BODY, encoding="utf-8")
    articles, rejected = ingest(tmp_path, data_dir=fresh)
    assert articles["source_file"].tolist() == ["good.txt"]
    assert reasons(rejected) == {"old-data": "data_folder", "data": "data_folder"}
    assert "not read as input" in rejected["detail"].iloc[0]


def test_an_input_folder_that_is_also_the_data_folder_reads_only_the_articles(tmp_path):
    with_good(tmp_path)
    (tmp_path / "parley.duckdb").write_bytes(b"\x00" * 64)
    (tmp_path / "cache" / "extract").mkdir(parents=True)
    (tmp_path / "cache" / "extract" / "x.json").write_text("{}", encoding="utf-8")
    (tmp_path / "work").mkdir()
    articles, rejected = ingest(tmp_path)
    assert articles["source_file"].tolist() == ["good.txt"]
    assert reasons(rejected) == {"cache": "data_folder", "parley.duckdb": "data_folder", "work": "data_folder"}


def test_lone_surrogate_escapes_in_json_are_replaced_and_said(tmp_path):
    """"\\ud800" alone is valid JSON but no UTF-8: it crashed the whole ingest (hashing the text)."""
    (tmp_path / "feed.jsonl").write_text('{"text": "Talks in Geneva \\ud800 resumed. ' + BODY + '", "title": "T\\udfff"}\n',
                                         encoding="utf-8")
    articles, rejected = ingest(tmp_path)
    assert rejected.empty and "Geneva \ufffd resumed" in articles["text"].iloc[0] and articles["title"].iloc[0] == "T\ufffd"
    assert articles["encoding_repair"].iloc[0] == "2 lone surrogate escape(s) in the JSON replaced by U+FFFD"


def test_any_bytes_under_any_name_never_crash_the_ingest(tmp_path_factory):
    """Random bytes, text, JSON values, UTF-16 and cp1252 under article suffixes, with a random manifest: both
    tables always pass their schemas and convert to Arrow (found crashing on lone surrogates in JSON)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
    keys = st.sampled_from(["text", "maintext", "title", "url", "date", "publisher", "other"])
    values = st.recursive(leaves, lambda c: st.lists(c, max_size=3) | st.dictionaries(keys, c, max_size=4),
                          max_leaves=8)
    content = st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                        values.map(lambda v: json.dumps(v).encode()),
                        st.text(max_size=100).map(lambda t: t.encode("utf-16-le", "surrogatepass")),
                        st.text(max_size=100).map(lambda t: t.encode("cp1252", "ignore")))
    suffixes = st.sampled_from([".txt", ".json", ".jsonl", ".html", ".csv", ""])

    @settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(files=st.lists(st.tuples(suffixes, content), max_size=3), manifest=st.none() | st.text(max_size=120))
    def check(files, manifest):
        folder = tmp_path_factory.mktemp("fuzz")
        for i, (suffix, data) in enumerate(files):
            (folder / f"f{i}{suffix}").write_bytes(data)
        if manifest is not None:
            (folder / "manifest.csv").write_bytes(("file,title,published_date\n" + manifest).encode("utf-8", "surrogatepass"))
        ingest(folder)

    check()
