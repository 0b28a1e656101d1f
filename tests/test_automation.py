import os

import dagster as dg

from pipeline.definitions import defs
from pipeline.defs.automation import build_all, daily_build, input_folder_sensor
from pipeline.defs.resources import ParleyFolders
from schemas import TABLES


def _tick(folder, cursor=None):
    context = dg.build_sensor_context(cursor=cursor, resources={"folders": ParleyFolders(input_dir=str(folder))})
    return input_folder_sensor(context)


def test_sensor_runs_once_per_change(tmp_path):
    assert isinstance(_tick(tmp_path), dg.SkipReason)  # empty folder: nothing to build

    (tmp_path / "a.txt").write_text("Talks resumed in Istanbul.", encoding="utf-8")
    first = _tick(tmp_path)
    assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
    assert isinstance(_tick(tmp_path, first.cursor), dg.SkipReason)  # no change, no second run

    (tmp_path / "a.txt").write_text("Talks resumed in Istanbul on Tuesday.", encoding="utf-8")
    changed = _tick(tmp_path, first.cursor)
    assert isinstance(changed, dg.SensorResult) and changed.cursor != first.cursor

    (tmp_path / "manifest.csv").write_text("file,url,publisher,published_date,title\n", encoding="utf-8")
    with_manifest = _tick(tmp_path, changed.cursor)
    assert isinstance(with_manifest, dg.SensorResult) and len(with_manifest.run_requests) == 1

    os.remove(tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text("Another article.", encoding="utf-8")
    assert isinstance(_tick(tmp_path, with_manifest.cursor), dg.SensorResult)


def test_missing_folder_is_skipped(tmp_path):
    assert isinstance(_tick(tmp_path / "missing"), dg.SkipReason)


def test_sensor_and_schedule_are_off_by_default_and_build_everything():
    d = defs()
    assert d.resolve_sensor_def(input_folder_sensor.name).default_status == dg.DefaultSensorStatus.STOPPED
    assert d.resolve_schedule_def(daily_build.name).default_status == dg.DefaultScheduleStatus.STOPPED
    job = d.resolve_job_def(build_all.name)
    selected = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
    assert set(TABLES) | {"release"} <= selected
    graph = d.resolve_asset_graph()
    assert not any(graph.get(dg.AssetKey(k)).partitions_def for k in selected)
