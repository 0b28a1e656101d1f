"""Big inputs: one 5 MB article and a folder of 10,000 small files are ingested whole, with peak memory (RSS)
under 2 GB, measured in a fresh process.

The 5 MB article is split into sentences by the pipeline's splitter over a rule-based sentencizer: the full
spaCy model in one piece needs minutes and several GB per MB of text (docs/reliability.md), which is the parse
step's business (chunked parsing), not ingestion's.
"""
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 2048
SENTENCES = [
    "Russian and Ukrainian delegations met in Istanbul on 29 March 2022 for round {n}.",
    'Vladimir Medinsky said: "The talks were constructive, and we will meet again."',
    "About {n} prisoners were to be exchanged, the Ukrainian side said.",
    "The next round is planned in Geneva, according to Reuters.",
]

# Ingest argv[1] and report counts and peak RSS as JSON; with argv[2] == "split", also split every article
# into sentences the way the pipeline does, over a sentencizer doc.
MEASURE = r"""
import json, resource, sys, time
from pathlib import Path
from pipeline.ingest.articles import ingest_folder

started = time.monotonic()
articles, rejected = ingest_folder(Path(sys.argv[1]), max_bytes=8 * 1024 * 1024)
report = {"articles": len(articles), "rejected": len(rejected), "chars": int(articles["text"].str.len().sum())}
if sys.argv[2] == "split":
    import spacy
    from pipeline.nlp.sentences import split_sentences
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    rows = [s for a, t in zip(articles["article_id"], articles["text"]) for s in split_sentences(a, t, nlp(t))]
    assert all(0 <= s.start < s.end <= len(t) for s, t in zip(rows, articles["text"].repeat(len(rows))))
    report["sentences"] = len(rows)
report["seconds"] = round(time.monotonic() - started, 1)
report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(report))
"""


def measure(folder: Path, mode: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(folder), mode], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"\n{folder.name}: {report}")
    return report


WORDS = ("talks ceasefire delegation corridor prisoners exchange guarantees neutrality sanctions troops border "
         "envoy mediator summit draft treaty referendum withdrawal humanitarian convoy minister spokesman "
         "agreement proposal refusal demand offer round capital region frontline observers monitors").split()


def paragraph(n: int) -> str:
    """News-like text that differs from article to article: identical files would all be near-duplicates of
    each other, which tests the near-duplicate finder's worst case rather than ingestion."""
    rng = random.Random(n)
    filler = " ".join(rng.choice(WORDS) for _ in range(30))
    return " ".join(s.format(n=n) for s in SENTENCES) + f" Observers noted {filler}."


def test_one_5mb_article(tmp_path):
    lines, size, n = [], 0, 0
    while size < 5 * 1024 * 1024:
        lines.append(paragraph(n))
        size += len(lines[-1]) + 1
        n += 1
    (tmp_path / "huge.txt").write_text("\n".join(lines), encoding="utf-8")
    report = measure(tmp_path, "split")
    assert report["articles"] == 1 and report["rejected"] == 0
    assert report["chars"] >= 5 * 1024 * 1024 - 1000
    assert report["sentences"] >= len(SENTENCES) * n * 0.9
    assert report["peak_rss_mb"] < LIMIT_MB


def test_ten_thousand_small_files(tmp_path):
    for n in range(10_000):
        sub = tmp_path / f"batch{n // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"article {n:05d}.txt").write_text(paragraph(n), encoding="utf-8")
    report = measure(tmp_path, "ingest")
    assert report["articles"] == 10_000 and report["rejected"] == 0
    assert report["peak_rss_mb"] < LIMIT_MB
