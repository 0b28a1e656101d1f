"""Parley: news articles about peace negotiations -> a validated, deduplicated, versioned research dataset."""
import pyarrow as pa

# Arrow's default allocator (mimalloc) keeps the memory it frees. A build runs its steps one after another in one
# process, each reading and writing whole Parquet tables, so Arrow allocates from the system allocator instead,
# whose freed memory the next step reuses (bench/RESULTS.md: about 200 MB less held after ingest at 10k articles).
pa.set_memory_pool(pa.system_memory_pool())
