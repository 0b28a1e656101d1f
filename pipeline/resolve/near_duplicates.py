"""Near-duplicate articles: syndicated copies that differ by a headline, a sign-off or a paragraph.

An article is the set of its word 5-shingles: the folded text (`ids.fold`) split into word tokens,
every run of five consecutive words one shingle. A 128-permutation MinHash with a fixed seed estimates
the Jaccard similarity J of two such sets, so a re-run gives the same answer (datasketch's MinHash and
LSH index, computed by pipeline/resolve/minhash.py without importing datasketch).

Why J >= 0.8: two outlets' copies of one wire story share nearly every 5-word run. The headline is
not part of `text`, so a changed headline costs nothing; a byline or one added paragraph in a typical
300-400 word story leaves J near 0.85-0.9. Two independent reports of one event, even quoting the
same sentence, share only the quoted runs (J well under 0.2). 0.8 lies well inside that gap and is
the usual near-duplicate cut-off for web text (Broder 1997; MinHashLSH's documented use).

A short story with a paragraph added can fall under 0.8 while the shorter copy is still wholly
inside the longer. A candidate is therefore also accepted when the estimated containment of the
smaller shingle set in the larger, |A n B| / min(|A|, |B|) with |A n B| = J (|A| + |B|) / (1 + J)
from the estimated J and the exact set sizes, reaches the threshold. To put such pairs in front of
the verifier, the LSH index is banded for J ~ 0.5. The LSH only proposes candidates; the estimated
J (and the containment derived from it) decides.

Articles are visited in (published_date, input order) order and each queries only earlier ones; an
article that copies earlier articles points at the earliest original among their groups. Articles
already marked as exact duplicates keep their mark and stay out of the index.
"""
from __future__ import annotations

import hashlib
import operator
import re
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.ids import fold
from pipeline.resolve.minhash import SCHEME, Permutations, earlier_sharing, jaccard, minhash, permutations
from pipeline.resolve.signatures import Signature, SignatureCache

SEED = 1
CANDIDATE_THRESHOLD = 0.5
WORD = re.compile(r"\w+")


def shingles(text: str, size: int) -> set[bytes]:
    """The word `size`-shingles of the folded text; a text shorter than that is one shingle."""
    words = WORD.findall(fold(text))
    if len(words) <= size:
        return {" ".join(words).encode()} if words else set()
    # each word encoded once, and the windows walked in C by zip over the shifted lists: the same bytes as joining
    # each window's words and encoding the join (UTF-8 of a join is the join of the UTF-8s)
    encoded = list(map(str.encode, words))
    return set(map(b" ".join, zip(*(encoded[i:] for i in range(size)))))


_DIGEST = operator.methodcaller("digest")


def sha1_words(values: set[bytes] | list[bytes]) -> list[int]:
    """datasketch's default `sha1_hash32` of each value (the first 4 bytes of its SHA-1, little-endian), computed
    without a Python call per value: the digests are joined and read as little-endian 32-bit words, 5 per digest."""
    digests = b"".join(map(_DIGEST, map(hashlib.sha1, values)))
    return np.frombuffer(digests, dtype="<u4")[::5].tolist()


def is_near_copy(jaccard: float, size_a: int, size_b: int, threshold: float) -> bool:
    """Verified when J, or the containment of the smaller set derived from J, reaches the threshold."""
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    return jaccard >= threshold or shared / min(size_a, size_b) >= threshold


def signature(text: str, perms: Permutations, shingle: int) -> Signature:
    """The size of the text's shingle set and its MinHash hash values (each shingle hashed by `sha1_words`)."""
    shingle_set = shingles(text, shingle)
    return len(shingle_set), minhash(sha1_words(shingle_set), perms)


def earliest_originals(sizes: list[int], hashes: list[np.ndarray], threshold: float, num_perm: int) -> list[int]:
    """For each article (in visiting order), the rank of the earliest original it copies, else its own rank.

    Only articles with shingles are indexed; each is compared with the earlier ones sharing a band of its hash
    values (the LSH candidates), and points at the earliest root among those it verifiably copies."""
    root = list(range(len(sizes)))
    indexed = [rank for rank, size in enumerate(sizes) if size]
    matrix = np.array([hashes[rank] for rank in indexed], dtype=np.uint32).reshape(len(indexed), num_perm)
    for row, earlier_rows in sorted(earlier_sharing(matrix, min(CANDIDATE_THRESHOLD, threshold)).items()):
        rank = indexed[row]
        copies = [earlier for earlier in (indexed[e] for e in earlier_rows)
                  if is_near_copy(jaccard(hashes[rank], hashes[earlier]), sizes[rank], sizes[earlier], threshold)]
        if copies:
            root[rank] = min(root[earlier] for earlier in copies)
    return root


def find_near_duplicates(articles: pd.DataFrame, threshold: float = 0.8, num_perm: int = 128,
                         shingle: int = 5, cache: Path | None = None) -> pd.Series:
    """duplicate_of per article_id: the earliest original an article copies, else None.

    Earliest = first by publication date, then by the order of `articles` (the input folder's file order).
    With a `cache` folder, signatures of articles seen before are read from it rather than computed.
    """
    order = (articles.assign(_date=pd.to_datetime(articles["published_date"], errors="coerce"))
             .sort_values("_date", na_position="last", kind="stable"))
    marked = order["duplicate_of"].notna()
    unmarked = order.loc[~marked]
    ids = unmarked["article_id"].tolist()
    perms = permutations(num_perm, SEED)
    signatures = SignatureCache(cache, num_perm=num_perm, shingle=shingle, seed=SEED, scheme=SCHEME) if cache else None
    sizes, hashes = [], []
    for aid, text in zip(ids, unmarked["text"]):
        known = signatures.get(aid) if signatures else None
        size, values = known or signature(text, perms, shingle)
        if signatures and known is None:
            signatures.put(aid, (size, values))
        sizes.append(size)
        hashes.append(np.asarray(values, dtype=np.uint32))
    root = earliest_originals(sizes, hashes, threshold, num_perm)
    if signatures:
        signatures.save(ids)
    found = pd.Series([ids[r] if r != rank else None for rank, r in enumerate(root)], index=ids, dtype=object)
    kept = order.loc[marked].set_index("article_id")["duplicate_of"].astype(object)
    return pd.concat([found, kept]).reindex(articles["article_id"]).rename("duplicate_of")
