"""Extraction in batches: dynamic partitions of ~500 articles, so a backfill parses batches in parallel.

A batch is fixed once planned: its article ids are written to `<data>/batches/<key>.txt` and its key hashes
them, so new articles form new batches and never reshuffle old ones. Each batch's tasks write shards of their own to the
extraction cache; the unpartitioned `extractions` asset then finds those articles parsed and only reads them.
"""

from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.defs.executor import executor_from_env
from pipeline.defs.resources import ParleyFolders
from pipeline.ids import stable_id
from pipeline.nlp.cache import ExtractionCache
from pipeline.nlp.extract import parse_missing
from pipeline.nlp.progress import Tracker, tracking
from pipeline.publish.arrow import read_in_thread

BATCH_SIZE = 500
article_batches = dg.DynamicPartitionsDefinition(name="article_batches")


def batches_dir(data_dir: str) -> Path:
    return Path(data_dir) / "batches"


def batch_ids(data_dir: str, key: str) -> list[str]:
    return (batches_dir(data_dir) / f"{key}.txt").read_text(encoding="utf-8").split()


def plan_batches(article_ids: list[str], data_dir: str, size: int = BATCH_SIZE) -> list[str]:
    """Write a batch file for each `size` articles not yet in a batch; the new batch keys, in order."""
    folder = batches_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    planned = {aid for path in folder.glob("*.txt") for aid in path.read_text(encoding="utf-8").split()}
    new = sorted(set(article_ids) - planned)
    keys = []
    for start in range(0, len(new), size):
        chunk = new[start:start + size]
        key = stable_id("batch", *chunk, length=12)
        (folder / f"{key}.txt").write_text("\n".join(chunk) + "\n", encoding="utf-8")
        keys.append(key)
    return keys


def register_batches(instance: dg.DagsterInstance, articles: pd.DataFrame, data_dir: str,
                     size: int = BATCH_SIZE) -> list[str]:
    """Plan batches for unbatched articles and add them as partitions; the new keys."""
    keys = plan_batches(list(articles["article_id"]), data_dir, size)
    instance.add_dynamic_partitions(article_batches.name, keys)
    return keys


class BatchConfig(dg.Config):
    # A batch is the unit of parallelism: run more batches at once rather than more spaCy processes per batch.
    n_process: int = 1


@dg.asset(group_name="batches", partitions_def=article_batches, kinds={"spacy"},
          description="The extraction cache filled for one batch of articles (shards of its own).")
def extraction_batch(context: dg.AssetExecutionContext, config: BatchConfig, folders: ParleyFolders,
                     articles: pd.DataFrame) -> dg.MaterializeResult:
    ids = set(batch_ids(folders.data_dir, context.partition_key))
    batch = articles[articles["article_id"].isin(ids)]
    gone = len(ids - set(batch["article_id"]))
    batch = batch[batch["extracted"]] if "extracted" in batch else batch  # as `extractions`: English only
    cache = ExtractionCache(Path(folders.data_dir) / "cache" / "extract")
    with tracking(Tracker(f"batch {context.partition_key}", context.log)):
        parsed = parse_missing(batch, cache, n_process=config.n_process)
    return dg.MaterializeResult(metadata={
        "articles": len(batch), "parsed": parsed, "gone": gone})


extract_batches = dg.define_asset_job(
    "extract_batches", selection=[extraction_batch], executor_def=executor_from_env(),
    description="Extract one batch of articles per run; backfill it to parse every batch in parallel.")


@dg.sensor(job=extract_batches, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Adds a batch partition, and requests its run, for every ~500 articles not yet in a batch.")
def article_batches_sensor(context: dg.SensorEvaluationContext, folders: ParleyFolders):
    path = folders.work_dir / "articles.parquet"
    if not path.is_file():
        return dg.SkipReason("no articles table yet: materialize `articles` first")
    # read in this thread (pd.read_parquet hands Arrow a Python file its workers release after the call returns)
    keys = plan_batches(list(read_in_thread(path, columns=["article_id"])["article_id"]), folders.data_dir)
    if not keys:
        return dg.SkipReason("every article is in a batch")
    return dg.SensorResult(run_requests=[dg.RunRequest(partition_key=key) for key in keys],
                           dynamic_partitions_requests=[article_batches.build_add_request(keys)])


@dg.definitions
def batches() -> dg.Definitions:
    return dg.Definitions(assets=[extraction_batch], jobs=[extract_batches], sensors=[article_batches_sensor])
