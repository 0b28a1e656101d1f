"""Per-component CPU time of spaCy as shipped against the pipeline's parse (pipeline/nlp/model.py), same texts.

    python bench/components.py CORPUS_FOLDER [--n 40] [--reps 2]

Each model parses the first N .txt files of the folder component by component (each component's pipe over all
docs, the stock batch size 32 for both so that only the components differ), alternately, REPS times; the best
process CPU time of each is printed (CPU rather than wall time: the machine is shared). Then whole nlp.pipe runs:
stock at batch size 32, the pipeline's at its own (pipeline/nlp/parse.py BATCH_SIZE).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", type=Path)
    p.add_argument("--n", type=int, default=40)
    p.add_argument("--reps", type=int, default=2)
    args = p.parse_args()
    from pipeline.nlp.model import load_nlp, load_stock_nlp
    from pipeline.nlp.parse import BATCH_SIZE
    texts = [f.read_text(encoding="utf-8") for f in sorted(args.corpus.glob("*.txt"))[:args.n]]
    models = {"stock": (load_stock_nlp(), 32), "pipeline": (load_nlp(), BATCH_SIZE)}
    for nlp, _ in models.values():
        list(nlp.pipe(texts[:4]))  # warm-up
    parts: dict[tuple[str, str], float] = {}
    whole: dict[str, float] = {}
    for rep in range(args.reps):
        for label in (models if rep % 2 == 0 else reversed(models)):
            nlp, batch_size = models[label]
            docs = [nlp.make_doc(t) for t in texts]
            for name, proc in nlp.pipeline:
                start = time.process_time()
                docs = list(proc.pipe(docs, batch_size=32)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
                spent = time.process_time() - start
                parts[label, name] = min(parts.get((label, name), spent), spent)
            start = time.process_time()
            for _ in nlp.pipe(texts, batch_size=batch_size):
                pass
            spent = time.process_time() - start
            whole[label] = min(whole.get(label, spent), spent)
    print(f"{len(texts)} articles, {sum(len(d) for d in docs):,} tokens; best CPU seconds of {args.reps}")
    for name in models["stock"][0].pipe_names:
        print(f"  {name:16s} stock {parts['stock', name]:6.2f}   pipeline {parts['pipeline', name]:6.2f}")
    print(f"  nlp.pipe         stock {whole['stock']:6.2f}   pipeline {whole['pipeline']:6.2f}"
          f"   pipeline/stock {whole['pipeline'] / whole['stock']:.3f}")


if __name__ == "__main__":
    main()
