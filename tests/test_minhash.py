"""pipeline/resolve/minhash.py computes what datasketch computes: permutations, hash values, Jaccard estimates, the
LSH bands and the candidates a query returns (datasketch is the oracle here; the pipeline no longer imports it)."""
from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.resolve import minhash as mh
from pipeline.resolve.near_duplicates import CANDIDATE_THRESHOLD, SEED, earliest_originals, is_near_copy, sha1_words

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
_SETS = st.sets(st.binary(min_size=1, max_size=12), max_size=60)


def _datasketch(values: set[bytes], num_perm: int = 128, seed: int = SEED) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed)
    m.update_batch(list(values))
    return m


@pytest.mark.parametrize("num_perm, seed", [(128, SEED), (16, 7), (256, 0)])
def test_permutations_are_datasketchs(num_perm, seed):
    a, b = mh.permutations(num_perm, seed)
    theirs = MinHash(num_perm=num_perm, seed=seed).permutations
    assert (a == theirs[0]).all() and (b == theirs[1]).all() and a.dtype == theirs[0].dtype == b.dtype


@SETTINGS
@given(_SETS)
def test_hash_values_are_datasketchs(values):
    ours = mh.minhash(sha1_words(values), mh.permutations(128, SEED))
    theirs = _datasketch(values).hashvalues
    assert ours.dtype == theirs.dtype and (ours == theirs).all()
    assert sha1_words(values) == [sha1_hash32(v) for v in values]


@SETTINGS
@given(_SETS, _SETS)
def test_jaccard_is_datasketchs(first, second):
    perms = mh.permutations(128, SEED)
    ours = mh.jaccard(mh.minhash(sha1_words(first), perms), mh.minhash(sha1_words(second), perms))
    assert ours == LeanMinHash(_datasketch(first)).jaccard(LeanMinHash(_datasketch(second)))


def test_known_bands_are_what_datasketch_chooses():
    for (threshold, num_perm), chosen in mh.KNOWN_BANDS.items():
        index = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert (index.b, index.r) == chosen
    assert (CANDIDATE_THRESHOLD, 128) in mh.KNOWN_BANDS  # find_near_duplicates' own parameters never ask datasketch
    index = MinHashLSH(threshold=0.7, num_perm=64)
    assert mh.bands(0.7, 64) == (index.b, index.r)


_SMALL_SETS = st.lists(st.sets(st.sampled_from([b"a", b"b", b"c", b"d", b"e", b"f", b"g"]), max_size=7), max_size=25)


@SETTINGS
@given(_SMALL_SETS, st.sampled_from([(CANDIDATE_THRESHOLD, 128), (0.3, 32)]))
def test_earlier_sharing_finds_what_datasketchs_index_finds(sets, params):
    """Small alphabets make many sets share bands, so candidates are found and missed both ways."""
    threshold, num_perm = params
    perms = mh.permutations(num_perm, SEED)
    values = [mh.minhash(sha1_words(members), perms) for members in sets]
    found = mh.earlier_sharing(np.array(values, dtype=np.uint32).reshape(len(sets), num_perm), threshold)
    theirs = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for rank, members in enumerate(sets):
        lean = LeanMinHash(_datasketch(members, num_perm))
        assert found.get(rank, set()) == set(theirs.query(lean))
        theirs.insert(rank, lean)


def _roots_before(sizes, hashes, threshold, num_perm):
    """near_duplicates' loop as it was, with datasketch's index: each article with shingles queries the earlier
    ones, verifies the candidates and is inserted."""
    index, root = MinHashLSH(threshold=min(CANDIDATE_THRESHOLD, threshold), num_perm=num_perm), list(range(len(sizes)))
    for rank, (size, values) in enumerate(zip(sizes, hashes)):
        if not size:
            continue
        lean = LeanMinHash(seed=SEED, hashvalues=values, scheme=mh.SCHEME)
        copies = [e for e in index.query(lean)
                  if is_near_copy(mh.jaccard(values, hashes[e]), size, sizes[e], threshold)]
        if copies:
            root[rank] = min(root[e] for e in copies)
        index.insert(rank, lean)
    return root


@SETTINGS
@given(_SMALL_SETS, st.sampled_from([0.8, 0.5, 0.3]))
def test_earliest_originals_are_what_the_loop_over_datasketchs_index_gave(sets, threshold):
    perms = mh.permutations(128, SEED)
    sizes, hashes = [len(members) for members in sets], [mh.minhash(sha1_words(m), perms) for m in sets]
    assert earliest_originals(sizes, hashes, threshold, 128) == _roots_before(sizes, hashes, threshold, 128)
