"""The executor, chosen by configuration alone: PARLEY_EXECUTOR = in_process (default) | multiprocess | celery.

in_process (the default): one process runs the steps one after another, as `parley build` does. Parley's steps
form a chain (ingest -> extraction -> resolution -> facts -> release) with little to run side by side, and the
one heavy step spreads itself: the parse starts its own spaCy worker processes when there are enough articles
(pipeline/nlp/extract.py). A process per step only adds its start-up (imports, the code location, ~5-8 s each for
~20 steps and their checks): `build_all` from the UI took 2m44 with it against ~30 s for the CLI on the seeds
(bench/RESULTS.md, "UI against CLI").

multiprocess: one process per step, independent steps side by side: for a many-core machine where resolution
steps of a large corpus may overlap, or to keep a crashing step from taking the run worker with it.

celery: each step on dagster-celery workers through a broker (PARLEY_CELERY_BROKER, results in
PARLEY_CELERY_BACKEND; both default to a Redis on loopback), so a backfill of extraction batches spreads over a
cluster whose workers share the data folder.

The choice applies to every job of the project (build_all, extract_batches) launched from the UI, a sensor or a
schedule; `parley build` always runs in its own process.
"""

import os

import dagster as dg

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
CHOICES = ("in_process", "multiprocess", "celery")
DEFAULT = "in_process"


def executor_from_env() -> dg.ExecutorDefinition:
    kind = os.environ.get("PARLEY_EXECUTOR", DEFAULT)
    if kind == "multiprocess":
        return dg.multiprocess_executor
    if kind == "in_process":
        return dg.in_process_executor
    if kind == "celery":
        from dagster_celery import celery_executor  # imported only here: single machines need no Celery

        return celery_executor.configured({
            "broker": os.environ.get("PARLEY_CELERY_BROKER", DEFAULT_REDIS),
            "backend": os.environ.get("PARLEY_CELERY_BACKEND", DEFAULT_REDIS),
        }, name="celery")
    raise ValueError(f"PARLEY_EXECUTOR={kind!r}: choose one of {', '.join(CHOICES)}")


@dg.definitions
def executor() -> dg.Definitions:
    return dg.Definitions(executor=executor_from_env())
