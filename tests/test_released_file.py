"""arrow.released_file: a step's file that already is as released is taken as it is; anything else is rewritten by
conform_file. Either way the release holds the same rows with the model's schema, and the bytes follow from the rows
(the same rows written whole give the same file, so the same input still gives the same release)."""
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.publish import arrow
from pipeline.publish.arrow import conform_file, released_file, released_schema

TABLE = "rejected_inputs"  # four plain columns: source_file, reason, bytes, detail

rows = st.lists(st.tuples(st.text(max_size=5), st.sampled_from(["empty", "binary"]),
                          st.one_of(st.none(), st.integers(0, 10**6)), st.one_of(st.none(), st.text(max_size=5))),
                max_size=30)


def _table(values, schema=None) -> pa.Table:
    columns = list(zip(*values)) or [[], [], [], []]
    return pa.table([pa.array(list(c), type=f.type) for c, f in zip(columns, released_schema(TABLE))],
                    schema=schema or released_schema(TABLE))


@settings(max_examples=40, deadline=None)
@given(rows)
def test_a_file_written_whole_with_the_released_schema_is_taken_as_it_is(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("released")
    source, target = folder / "work.parquet", folder / "released.parquet"
    pq.write_table(_table(values), source, compression="zstd")
    path, undescribed = released_file(TABLE, source, target)
    assert path == source and not target.exists() and undescribed == []
    conform_file(TABLE, source, target)  # what the release wrote before: the same rows
    assert pq.read_table(path).equals(pq.read_table(target))
    assert pq.read_schema(path).equals(released_schema(TABLE), check_metadata=True)


def test_the_same_rows_written_whole_are_the_same_bytes(tmp_path):
    values = [("a.txt", "empty", 3, None), ("b.txt", "binary", None, "x")]
    for name in ("one", "two"):
        pq.write_table(_table(values), tmp_path / f"{name}.parquet", compression="zstd")
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()


def test_other_files_are_rewritten_with_the_released_schema(tmp_path):
    values = [("a.txt", "empty", 3, None), ("b.txt", "binary", None, "x"), ("c.txt", "empty", 1, "y")]
    written = {
        "other column order": (_table(values).select(["reason", "source_file", "bytes", "detail"]), {}),
        "other type": (_table(values).set_column(2, "bytes", pa.array([3, None, 1], pa.int32())), {}),
        "schema metadata": (_table(values).replace_schema_metadata({"pandas": "{}"}), {}),
        "written in pieces": (_table(values), {"row_group_size": 2}),
        "other compression": (_table(values), {"compression": "snappy"}),
    }
    for case, (table, options) in written.items():
        source, target = tmp_path / f"{case}.parquet", tmp_path / f"released {case}.parquet"
        pq.write_table(table, source, **{"compression": "zstd", **options})
        path, _ = released_file(TABLE, source, target)
        assert path == target, case
        assert pq.read_schema(path).equals(released_schema(TABLE), check_metadata=True), case
        assert pq.read_table(path).equals(_table(values)), case


def test_the_whole_row_groups_are_pyarrows_own(tmp_path):
    """WHOLE_ROW_GROUP_ROWS is where one write_table call without row_group_size cuts its row groups."""
    n = arrow.WHOLE_ROW_GROUP_ROWS + 5
    pq.write_table(pa.table({"a": pa.nulls(n, pa.int8())}), tmp_path / "big.parquet", compression="zstd")
    meta = pq.ParquetFile(tmp_path / "big.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [arrow.WHOLE_ROW_GROUP_ROWS, 5]
    assert arrow._written_whole(meta)


def test_a_list_column_is_taken_only_as_the_release_writes_it(tmp_path):
    """Read back, a list's item field is always "element"; the Arrow schema the file stores tells a list written
    as to_arrow types it (item, as the release writes it) from one written otherwise."""
    schema = released_schema("articles")
    lists = [f.name for f in schema if pa.types.is_list(f.type)]
    assert lists  # articles.removed_lines
    as_released = pa.table([pa.array([["a"], None], f.type) if f.name in lists else pa.nulls(2, f.type)
                            for f in schema], schema=schema)
    other = as_released.cast(pa.schema([pa.field(f.name, pa.list_(pa.field("element", pa.string())))
                                        if f.name in lists else f for f in schema]))
    for case, table, taken in (("released", as_released, True), ("element", other, False)):
        source, target = tmp_path / f"{case}.parquet", tmp_path / f"released {case}.parquet"
        pq.write_table(table, source, compression="zstd")
        path, _ = released_file("articles", source, target)
        assert (path == source) is taken, case
        conform_file("articles", source, tmp_path / "conformed.parquet")
        assert pq.read_table(path).equals(pq.read_table(tmp_path / "conformed.parquet")), case
