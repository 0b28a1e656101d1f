"""The executor, chosen by configuration alone: PARLEY_EXECUTOR = multiprocess (default) | celery | in_process.

`celery` runs each step on dagster-celery workers through a broker (PARLEY_CELERY_BROKER, results in
PARLEY_CELERY_BACKEND; both default to a Redis on loopback), so a backfill of extraction batches spreads over a
cluster whose workers share the data folder. It is the default executor of every job of the project.
"""

import os

import dagster as dg

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
CHOICES = ("multiprocess", "celery", "in_process")


def executor_from_env() -> dg.ExecutorDefinition:
    kind = os.environ.get("PARLEY_EXECUTOR", "multiprocess")
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
