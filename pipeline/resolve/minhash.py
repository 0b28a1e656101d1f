"""MinHash signatures and a banded LSH index over them, computed as datasketch computes them, without importing it.

datasketch's package imports scipy.integrate (~0.5 s of CPU in every build process) only to choose an LSH index's
bands. This module does what near_duplicates.py used of it: the default 'affine32' scheme (each 32-bit hash value
pre-mixed by MurmurHash3's finaliser, then h -> a*h + b mod 2^32 per permutation, a and b drawn from
`np.random.RandomState(seed)` as datasketch draws them), its Jaccard estimate, and its banded index (an article is a
candidate when one band of its hash values equals another's; `earlier_sharing` finds every article's candidates
among the earlier ones at once). The bands datasketch's MinHashLSH chooses are kept in
KNOWN_BANDS for the pipeline's parameters and asked of datasketch for any other. tests/test_minhash.py pins the
permutations, hash values, Jaccard estimates, band choices and query results to datasketch's own.
"""
from __future__ import annotations

import numpy as np

SCHEME = "affine32"  # datasketch's name for the scheme: part of the signature cache's version
MAX_HASH = np.uint32(0xFFFFFFFF)
# MurmurHash3's 32-bit finaliser: (shift, multiplier, shift, multiplier, shift), as datasketch's _fmix applies it.
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
# (candidate threshold, permutations) -> (bands, rows per band) that datasketch's MinHashLSH chooses with its default
# weights: find_near_duplicates' own (0.5, 128).
KNOWN_BANDS = {(0.5, 128): (25, 5)}

Permutations = tuple[np.ndarray, np.ndarray]


def permutations(num_perm: int, seed: int) -> Permutations:
    """(a, b) of the num_perm affine permutations; a is odd, so each is a bijection of the 32-bit values."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def minhash(hashes: list[int], perms: Permutations) -> np.ndarray:
    """The MinHash values (uint32) of a set given its members' 32-bit hashes; an empty set keeps MAX_HASH."""
    a, b = perms
    values = np.full(len(a), MAX_HASH, dtype=np.uint32)
    if not hashes:
        return values
    mixed = _fmix(np.array(hashes, dtype=np.uint32).reshape(-1, 1))
    return np.minimum(values, (mixed * a + b).min(axis=0))


def jaccard(values: np.ndarray, other: np.ndarray) -> float:
    """The estimated Jaccard similarity: the share of permutations whose minimum the two sets share."""
    return float(np.count_nonzero(values == other)) / float(len(values))


def bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) of datasketch's MinHashLSH for this threshold (default weights)."""
    known = KNOWN_BANDS.get((threshold, num_perm))
    if known is not None:
        return known
    from datasketch import MinHashLSH

    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return index.b, index.r


def earlier_sharing(hashes: np.ndarray, threshold: float) -> dict[int, set[int]]:
    """{row: the earlier rows sharing a band of hash values with it} for the rows of `hashes` (one MinHash per row)
    that share any: what datasketch's MinHashLSH, queried with each row before the row is inserted, returns. Every
    band is grouped at once (rows with equal band bytes, by np.unique), not row by row through an index."""
    count, rows = bands(threshold, hashes.shape[1])
    found: dict[int, set[int]] = {}
    for band in range(count):
        keys = np.ascontiguousarray(hashes[:, band * rows:(band + 1) * rows], dtype=np.uint32)
        keys = keys.view(np.dtype((np.void, keys.itemsize * rows))).ravel()
        _, group, size = np.unique(keys, return_inverse=True, return_counts=True)
        members: dict[int, list[int]] = {}
        for row in np.flatnonzero(size[group] > 1).tolist():  # ascending: earlier rows first
            earlier = members.setdefault(int(group[row]), [])
            if earlier:
                found.setdefault(row, set()).update(earlier)
            earlier.append(row)
    return found
