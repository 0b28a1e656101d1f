"""Automation: rebuild everything when the input folder changes, and once a day. Both start switched off.

The daily run is cheap when nothing changed: the release asset writes no new version for the same input
and code, so the schedule mainly catches code or reference-data updates.
"""

import hashlib
from pathlib import Path

import dagster as dg

from pipeline.defs.resources import ParleyFolders
from pipeline.ingest.files import MANIFEST, InputFolderError, discover, fingerprint

# The release and everything it is built from (plus the other outputs of multi-assets on that path, which
# cannot run in part), with their checks. Partitioned helpers off that path (extraction batches, with their
# own job and sensor) stay out: they need a partition key per run.
RELEASE_AND_UPSTREAM = dg.AssetSelection.assets("release").upstream().required_multi_asset_neighbors()
build_all = dg.define_asset_job("build_all", selection=RELEASE_AND_UPSTREAM,
                                description="Materialize every table (and run its checks) and write a release.")


def folder_state(folder: Path) -> str | None:
    """Names, sizes and mtimes of every input file and the manifest: changes when any of them does.

    None for a folder without input files: there is nothing to build.
    """
    files, rejected = discover(folder)
    if not files and not rejected:
        return None
    h = hashlib.sha256(fingerprint(files).encode())
    for r in rejected:
        h.update(f"{r.source_file}\x1f{r.reason}\n".encode())
    manifest = folder / MANIFEST
    if manifest.is_file():
        stat = manifest.stat()
        h.update(f"{MANIFEST}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


@dg.sensor(job=build_all, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Requests a full build when files in the input folder are added, removed or changed.")
def input_folder_sensor(context: dg.SensorEvaluationContext, folders: ParleyFolders):
    try:
        state = folder_state(Path(folders.input_dir))
    except (InputFolderError, OSError) as exc:  # OSError: a file vanished mid-scan; the next tick sees the rest
        return dg.SkipReason(str(exc))
    if state is None:
        return dg.SkipReason(f"no input files in {folders.input_dir}")
    if state == context.cursor:
        return dg.SkipReason(f"no change in {folders.input_dir}")
    return dg.SensorResult(run_requests=[dg.RunRequest(tags={"parley/input_state": state[:16]})], cursor=state)


daily_build = dg.ScheduleDefinition(
    name="daily_build", job=build_all, cron_schedule="0 5 * * *", execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED, description="A full build every day at 05:00 UTC.")


@dg.definitions
def automation() -> dg.Definitions:
    return dg.Definitions(jobs=[build_all], sensors=[input_folder_sensor], schedules=[daily_build])
