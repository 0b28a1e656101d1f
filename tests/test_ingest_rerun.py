"""Issue 18: a re-run's ingest fast paths give what the code they replaced gave.

discover() tells a regular file by one lstat (the old `_entry`, kept below as the oracle, asked four stats and a
resolve); the ingest cache hands out fresh rows without deep copies, and appends a re-run's new entries to its file
instead of rewriting it, falling back to a whole write when entries were dropped or the file was cut short."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pandas as pd

from pipeline import pickle_file
from pipeline.ingest import file_cache
from pipeline.ingest.articles import ingest_folder
from pipeline.ingest.files import InputFile, Rejection, _entry, _symlink_loop, discover, inside

STORY = ("Negotiators from both delegations met in Geneva on Tuesday for a third round of talks. "
         "The mediators said the sides had agreed to exchange prisoners before the next meeting.")


def _entry_before(root: Path, path: Path) -> InputFile | Rejection:
    """files._entry as it was."""
    rel = path.relative_to(root).as_posix()
    try:
        if path.is_symlink():
            loop = _symlink_loop(path)
            if loop:
                return Rejection(rel, "symlink_loop", None, f"symlink loop: {loop}")
            if not os.path.exists(path):
                return Rejection(rel, "unreadable", None, "broken symlink")
            if not inside(root, path):
                return Rejection(rel, "outside_folder", None, "symlink points outside the input folder")
        if path.is_dir():
            return Rejection(rel, "unreadable", None, "symlinked folder not followed (its target is read in place)")
        if not path.is_file():
            return Rejection(rel, "unreadable", None, "not a regular file")
        st = path.stat()
        return InputFile(path.resolve(), rel, st.st_size, st.st_mtime_ns)
    except OSError as exc:
        return Rejection(rel, "unreadable", None, exc.strerror or str(exc))


def _folder(tmp_path: Path) -> Path:
    outside = tmp_path / "outside.txt"
    outside.write_text(STORY, encoding="utf-8")
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_text(STORY, encoding="utf-8")
    (root / "sub" / "b.html").write_text(f"<p>{STORY}</p>", encoding="utf-8")
    (root / "sub" / "deeper" / "c.json").write_text('{"text": "x"}', encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "link-in.txt").symlink_to(root / "a.txt")
    (root / "link-out.txt").symlink_to(outside)
    (root / "broken.txt").symlink_to(root / "missing.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "folder-link").symlink_to(root / "sub")
    os.mkfifo(root / "pipe.txt")
    return root


def test_entries_are_what_they_were(tmp_path):
    root = _folder(tmp_path).resolve()
    names = [root / n for n in ("a.txt", "sub/b.html", "sub/deeper/c.json", "empty.txt", "link-in.txt",
                                "link-out.txt", "broken.txt", "loop.txt", "folder-link", "pipe.txt", "gone.txt")]
    for path in names:
        assert _entry(root, path) == _entry_before(root, path), path
    files, _ = discover(root)
    assert [f.path for f in files] == [f.path.resolve() for f in files]


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(STORY.replace("third", f"round {i} of the"), encoding="utf-8")
    return folder


def _records(path: Path) -> int:
    count = 0
    with path.open("rb") as f:
        while f.peek(1):
            pickle.load(f)
            count += 1
    return count


def test_a_rerun_that_adds_files_appends_them_and_gives_the_same_tables(tmp_path):
    corpus, cache = _corpus(tmp_path / "in", 3), tmp_path / "cache"
    ingest_folder(corpus, files_cache=cache)
    path = cache / f"{file_cache.ingest_version()}.pkl"
    assert _records(path) == 1
    _corpus(corpus, 5)
    with_cache = ingest_folder(corpus, files_cache=cache)
    assert _records(path) == 2  # the two new files' entries appended
    assert len(pickle_file.load_merged(path)[0]) == 5
    again = ingest_folder(corpus, files_cache=cache)
    plain = ingest_folder(corpus)
    for got in (with_cache, again):
        pd.testing.assert_frame_equal(got[0], plain[0])
        pd.testing.assert_frame_equal(got[1], plain[1])
    (corpus / "000.txt").unlink()  # an entry no longer used: the file is written whole, without it
    ingest_folder(corpus, files_cache=cache)
    assert _records(path) == 1 and len(pickle_file.load_merged(path)[0]) == 4


def test_an_append_cut_short_is_recomputed_and_the_file_written_whole(tmp_path):
    corpus, cache = _corpus(tmp_path / "in", 3), tmp_path / "cache"
    ingest_folder(corpus, files_cache=cache)
    path = cache / f"{file_cache.ingest_version()}.pkl"
    _corpus(corpus, 4)
    ingest_folder(corpus, files_cache=cache)
    path.write_bytes(path.read_bytes()[:-10])  # the last append cut short
    known, whole = pickle_file.load_merged(path)
    assert len(known) == 3 and not whole
    articles, _ = ingest_folder(corpus, files_cache=cache)
    assert _records(path) == 1 and pickle_file.load_merged(path) == (pickle_file.load_merged(path)[0], True)
    assert len(pickle_file.load_merged(path)[0]) == 4
    pd.testing.assert_frame_equal(articles, ingest_folder(corpus)[0])


def test_cached_rows_are_handed_out_fresh(tmp_path):
    cache = file_cache.IngestCache(tmp_path)
    row = {"article_id": "a", "removed_lines": ["x"]}
    cache.put("k", ([], [row]))
    bad, made = cache.get("k")
    made[0]["article_id"] = "changed"
    bad.append("more")
    assert cache.get("k") == ([], [row]) and row["article_id"] == "a"
