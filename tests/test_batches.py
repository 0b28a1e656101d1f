from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.defs.extract.batches import BatchConfig, article_batches, batch_ids, extraction_batch, register_batches
from pipeline.defs.resources import ParleyFolders
from pipeline.nlp import extract
from pipeline.nlp.cache import ExtractionCache


def articles(n, first=0):
    return pd.DataFrame({"article_id": [f"art-{i}" for i in range(first, first + n)],
                         "text": [f"Talks resumed in round {i}. Both sides met again." for i in range(first, first + n)],
                         "published_date": [None] * n})


def test_partitions_registered_from_articles_and_stable(tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    keys = register_batches(instance, articles(7), str(tmp_path), size=3)
    assert len(keys) == 3 and instance.get_dynamic_partitions(article_batches.name) == keys
    assert sorted(aid for key in keys for aid in batch_ids(str(tmp_path), key)) == sorted(articles(7)["article_id"])
    assert register_batches(instance, articles(7), str(tmp_path), size=3) == []
    more = register_batches(instance, articles(8), str(tmp_path), size=3)  # one new article: one new batch
    assert batch_ids(str(tmp_path), more[0]) == ["art-7"]
    assert instance.get_dynamic_partitions(article_batches.name) == keys + more


def run_batch(key, df, data_dir):
    context = dg.build_asset_context(partition_key=key)
    return extraction_batch(context=context, config=BatchConfig(), folders=ParleyFolders(data_dir=data_dir), articles=df)


def test_batches_fill_the_cache_and_extraction_then_parses_nothing(tmp_path):
    df, data_dir = articles(5), str(tmp_path)
    keys = register_batches(dg.DagsterInstance.ephemeral(), df, data_dir, size=3)
    results = [run_batch(key, df, data_dir) for key in keys]
    assert [r.metadata["parsed"] for r in results] == [3, 2]
    cache = ExtractionCache(Path(data_dir) / "cache" / "extract")
    assert cache.done() == set(df["article_id"])  # neither batch's shard lost the other's rows

    files, parsed = extract.extract_files(df, cache)
    assert parsed == 0
    assert list(pd.read_parquet(files["sentences"])["article_id"].unique()) == list(df["article_id"])
    assert run_batch(keys[0], df, data_dir).metadata["parsed"] == 0

    _, parsed = extract.extract_files(articles(6), cache)  # a new article: compacted, covering the shards
    assert parsed == 1 and cache.done() == set(articles(6)["article_id"])
    assert not list((cache.folder / "shards").iterdir())
