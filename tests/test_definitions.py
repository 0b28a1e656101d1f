import dagster as dg

from pipeline.definitions import defs


def test_definitions_load():
    d = defs()
    dg.Definitions.validate_loadable(d)
    keys = {k.to_user_string() for k in d.resolve_asset_graph().get_all_asset_keys()}
    assert {"articles", "rejected_inputs", "sentences", "release"} <= keys


def test_full_materialization_of_seeds(built_seeds):
    from pipeline.publish.release import latest_path
    release = latest_path(built_seeds)
    for table in ("articles", "sentences", "rejected_inputs"):
        assert (release / f"{table}.parquet").is_file()
    assert (built_seeds / "parley.duckdb").is_file()
