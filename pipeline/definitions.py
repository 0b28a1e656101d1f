"""The Dagster definitions: everything under pipeline/defs, discovered by the dg project loader."""
from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
