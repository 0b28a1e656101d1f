"""Build time with and without the syndicated-copies shortcut (pipeline/nlp/copies.py), in one command.

    python bench/copies.py --n 100 --copies 30 --seed 7 --out DIR

Writes N bench articles (bench/generate.py) and COPIES copies of some of them (two in three with the original's
publication date, one in three with another, through manifest.csv), then runs `parley build` on that folder twice,
each into a fresh data folder: PARLEY_SHARE_COPIES=1 and =0, alternating ROUNDS times. Prints each build's wall
time, the ratio, and whether every Parquet table of the two releases is identical.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_corpus  # noqa: E402


def write_copies(out: Path, n_copies: int, seed: int) -> None:
    originals = sorted(out.glob("*.txt"))
    rng = random.Random(seed)
    rows = ["file,published_date"]
    for k, source in enumerate(rng.sample(originals, n_copies)):
        day = date(2022, 3, 1) + timedelta(days=rng.randrange(60))
        copy = out / f"copy_{k:03d}.txt"
        shutil.copyfile(source, copy)
        rows.append(f"{source.name},{day.isoformat()}")
        rows.append(f"{copy.name},{(day if k % 3 else day + timedelta(days=2)).isoformat()}")
    (out / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def build(corpus: Path, data: Path, share: str) -> float:
    shutil.rmtree(data, ignore_errors=True)
    env = {**os.environ, "PARLEY_SHARE_COPIES": share}
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("parley")), "build", "--input", str(corpus),
                    "--data", str(data)], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def release(data: Path) -> Path:
    return data / "releases" / (data / "releases" / "LATEST").read_text().strip()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--copies", type=int, default=30)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    corpus = args.out / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    write_corpus(corpus, args.n, args.seed)
    write_copies(corpus, args.copies, args.seed)
    times = {"1": [], "0": []}
    for _ in range(args.rounds):
        for share in ("1", "0"):
            times[share].append(build(corpus, args.out / f"data-{share}", share))
            print(f"PARLEY_SHARE_COPIES={share}: {times[share][-1]:.1f} s", flush=True)
    on, off = release(args.out / "data-1"), release(args.out / "data-0")
    names = sorted(f.name for f in off.glob("*.parquet"))
    same = names == sorted(f.name for f in on.glob("*.parquet")) and all(
        pq.read_table(off / name).equals(pq.read_table(on / name)) for name in names)
    print(f"{args.n} articles + {args.copies} copies: shortcut on {min(times['1']):.1f} s, off {min(times['0']):.1f} s "
          f"(best of {args.rounds}), on/off = {min(times['1']) / min(times['0']):.2f}; "
          f"{len(names)} release tables {'identical' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
