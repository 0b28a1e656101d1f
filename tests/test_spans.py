from hypothesis import given, strategies as st

from pipeline.nlp.spans import DisjointSpans


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 15)), max_size=60))
def test_overlap_by_bisection_agrees_with_checking_every_span(candidates):
    """Spans are taken greedily as the extractors take them; the answer is the scan's at every step."""
    taken, plain = DisjointSpans(), []
    for start, length in candidates:
        end = start + length
        expected = any(s < end and start < e for s, e in plain)
        assert taken.overlaps(start, end) == expected
        if not expected:
            taken.append((start, end))
            plain.append((start, end))
    assert list(zip(taken.starts, taken.ends)) == sorted(plain)
