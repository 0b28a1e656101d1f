"""The model's matrix products through numpy's BLAS (OpenBLAS) instead of thinc's bundled BLIS.

Why: thinc's NumpyOps multiplies matrices with the `blis` package, whose wheel picks a generic kernel on CPUs it
has no tuned kernel for; numpy's OpenBLAS picks one for the CPU at run time (DYNAMIC_ARCH). On the development
machine (AMD EPYC, AVX-512) the tok2vec, NER and parser layers' products ran 3.5-4x faster that way and the stock
model's whole `nlp.pipe` took ~30 % less CPU (bench/RESULTS.md). thinc has the switch itself:
`NumpyOps(use_blis=False)` hands `gemm` to numpy.dot; every other operation stays NumpyOps' own. The parser's
per-state products in C (its CBlas) stay on BLIS.

Same annotations: a product's floats may differ in the last bits between the two libraries (as they do between
BLIS kernels on different CPUs), which could only change a prediction on an exact tie of two scores. Tags,
morphology, dependencies, lemmas, entities and sentence starts were identical on every token of the seeds, the
dev corpus and the bench corpora, and so were the released tables (tests/test_fast_gemm.py checks the
annotations). PARLEY_GEMM=blis keeps BLIS.

Threads: OpenBLAS would start a thread per core in every extraction worker, and two workers on two cores would
then fight for them; BLAS is held to one thread per process (threadpoolctl), as BLIS runs.
"""
from __future__ import annotations

import os

from thinc.api import Model, NumpyOps

ENV = "PARLEY_GEMM"


def enabled() -> bool:
    return os.environ.get(ENV, "numpy").strip().lower() != "blis"


def one_blas_thread() -> None:
    """Hold numpy's BLAS to one thread in this process (a no-op when threadpoolctl finds no BLAS library)."""
    from threadpoolctl import threadpool_limits
    threadpool_limits(1, user_api="blas")


def swap_in(nlp):
    """Every layer of every component's model multiplies through numpy (unless PARLEY_GEMM=blis); `nlp` returned.
    Only NumpyOps layers are moved: a model on another backend (a GPU's) is left as it is."""
    if not enabled():
        return nlp
    ops = NumpyOps(use_blis=False)
    moved = False
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if not isinstance(model, Model):
            continue
        for layer in model.walk():
            if type(layer.ops) is NumpyOps:
                layer.ops = ops
                moved = True
    if moved:
        one_blas_thread()
    return nlp
