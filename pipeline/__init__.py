"""Parley: news articles about peace negotiations -> a validated, deduplicated, versioned research dataset."""
import gc

import pyarrow as pa

YOUNG_COLLECTION_EVERY = 50_000  # allocations between young garbage collections (Python default: 700)

# Arrow's default allocator (mimalloc) keeps the memory it frees. A build runs its steps one after another in one
# process, each reading and writing whole Parquet tables, so Arrow allocates from the system allocator instead,
# whose freed memory the next step reuses (bench/RESULTS.md: about 200 MB less held after ingest at 10k articles).
pa.set_memory_pool(pa.system_memory_pool())

# The cross-article steps build millions of small dicts and lists (round mentions scored against rounds, fact
# groups, rows being validated) while the corpus's own objects stay alive: with Python's default (700 allocations
# between young collections) the collector kept walking them, a third of round linking's time at 10k articles.
# Young collections are made rarer; reference counting still frees all but cyclic garbage at once. A threshold
# the user has set higher is left alone.
_young, _middle, _old = gc.get_threshold()
if 0 < _young < YOUNG_COLLECTION_EVERY:
    gc.set_threshold(YOUNG_COLLECTION_EVERY, _middle, _old)
