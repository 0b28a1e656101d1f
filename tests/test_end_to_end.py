"""The whole asset graph on a generated corpus mixed with bad files: a release, every check green, no loss."""
import json
import runpy
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.publish.query import run_query

GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


@pytest.mark.slow
def test_generated_corpus_with_bad_files_builds_a_complete_release(tmp_path):
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    written = runpy.run_path(str(GENERATOR))["write_corpus"](corpus, 12, seed=23)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "feed.jsonl").write_text('{"text": "Envoys met in Geneva on Monday for talks."}\n{broken\n', encoding="utf-8")
    assert main(["build", "--input", str(corpus), "--data", str(data)]) == 0
    _, [(articles,)] = run_query(data, "select count(*) from articles")
    _, rejected = run_query(data, "select source_file, reason from rejected_inputs order by 1")
    assert articles == len(written) + 1
    assert rejected == [("binary.txt", "binary"), ("empty.txt", "empty"), ("feed.jsonl", "malformed_json")]
    _, [(rounds, positions, facts)] = run_query(
        data, "select (select count(*) from rounds), (select count(*) from positions), (select count(*) from facts)")
    assert rounds > 0 and positions > 0 and facts > 0
    _, bad_spans = run_query(data, "select count(*) from quotes q join articles a using (article_id) "
                                   "where q.\"end\" > length(a.text) or q.start < 0")
    assert bad_spans == [(0,)]
    manifest = json.loads(next((data / "releases").glob("*/manifest.json")).read_text())
    assert str(tmp_path) not in json.dumps(manifest)
