"""The pipeline's model multiplies through numpy's BLAS (pipeline/nlp/fast_gemm.py) and annotates exactly as the
stock model does with thinc's BLIS."""
import numpy
import pytest
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_info

from pipeline.nlp import fast_gemm
from pipeline.nlp.model import load_nlp, load_stock_nlp
from tests.test_fast_attributes import TEXTS, _same


def _annotations(doc):
    return [(t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.is_sent_start)
            for t in doc]


@pytest.fixture(scope="module")
def stock():
    return load_stock_nlp()


def _layers(nlp):
    return [layer for _, component in nlp.components if isinstance(getattr(component, "model", None), Model)
            for layer in component.model.walk()]


def test_every_layer_of_the_pipeline_multiplies_through_numpy_and_the_stock_model_through_blis(stock):
    assert all(not layer.ops.use_blis for layer in _layers(load_nlp()))
    assert all(layer.ops.use_blis for layer in _layers(stock))
    assert all(info["num_threads"] == 1 for info in threadpool_info() if info["user_api"] == "blas")


def test_numpy_products_are_the_blis_products_to_float_precision():
    """What the swap rests on: the same products, up to rounding in the last bits."""
    rng = numpy.random.default_rng(7)
    x, y = rng.standard_normal((300, 96), dtype="float32"), rng.standard_normal((96, 288), dtype="float32")
    blis, plain = NumpyOps(use_blis=True), NumpyOps(use_blis=False)
    for trans1, trans2, a, b in [(False, False, x, y), (True, False, x.T.copy(), y), (False, True, x, y.T.copy())]:
        numpy.testing.assert_allclose(plain.gemm(a, b, trans1=trans1, trans2=trans2),
                                      blis.gemm(a, b, trans1=trans1, trans2=trans2), rtol=1e-4, atol=1e-4)


def test_made_up_and_seed_texts_annotated_identically(stock, seeds_dir):
    """Every token's tag, POS, morphology, dependency, head, lemma, entity and sentence start, and the lookup
    components' arrays, equal the stock model's on made-up texts and on the seed articles."""
    from pipeline.ingest.articles import ingest_folder
    texts = TEXTS + list(ingest_folder(seeds_dir)[0]["text"])
    nlp = load_nlp()
    for text, a, b in zip(texts, stock.pipe(texts, batch_size=16), nlp.pipe(texts, batch_size=16)):
        assert _annotations(a) == _annotations(b), text[:80]
        assert _same(a, b), text[:80]


def test_blis_kept_on_request(stock, monkeypatch):
    monkeypatch.setenv(fast_gemm.ENV, "blis")
    assert not fast_gemm.enabled()
    nlp = fast_gemm.swap_in(load_stock_nlp())  # a fresh model each call
    assert all(layer.ops.use_blis for layer in _layers(nlp))
