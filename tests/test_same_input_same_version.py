"""Issue 14.5: same input and code give the same version and bytes, whatever was built before in the data folder."""
import json

import pytest

from pipeline.cli import main
from pipeline.publish.release import latest_path

OTHER = """Delegations meet in Geneva for a second round of talks

GENEVA, 3 May 2024 - Negotiators from Northland and Southland met in Geneva on Friday for a second round of
peace talks hosted by Switzerland. The talks lasted four hours, and both sides agreed to exchange 200 prisoners.
"""


def _tables(release):
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    return manifest["version"], {n: (t["sha256"], t["columns"]) for n, t in manifest["tables"].items()}


@pytest.mark.slow  # three builds (about 2 minutes on 2 cores)
def test_seeds_then_another_folder_then_seeds_gives_the_first_version_and_bytes(seeds_dir, tmp_path):
    data, other = tmp_path / "data", tmp_path / "other"
    other.mkdir()
    (other / "geneva.txt").write_text(OTHER, encoding="utf-8")

    assert main(["build", "--input", str(seeds_dir), "--data", str(data)]) == 0
    first_version, first = _tables(latest_path(data))
    assert main(["build", "--input", str(other), "--data", str(data)]) == 0
    between_version, between = _tables(latest_path(data))
    assert between_version != first_version
    assert main(["build", "--input", str(seeds_dir), "--data", str(data)]) == 0
    again_version, again = _tables(latest_path(data))

    assert again_version == first_version and again == first
    # the column types are the schemas', whatever the rows: the other folder's release has the same ones
    assert {n: cols for n, (_, cols) in between.items()} == {n: cols for n, (_, cols) in first.items()}
