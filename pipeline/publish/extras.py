"""The researcher-facing files of a release, written beside the Parquet tables by write_release(extras=...).

Order matters: SHA256SUMS comes last so it covers the Parquet files and every document. manifest.json is
written by write_release after this, so SHA256SUMS cannot cover it; the manifest carries the sha256 of
each table itself and, under "files", of each file written here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from pipeline.publish import card, codebook, datapackage
from pipeline.publish.timeline import TIMELINE, write_timeline


EXTRA_FILES = sorted([codebook.CODEBOOK, datapackage.DATAPACKAGE, card.CITATION, card.CARD, TIMELINE, card.SHA256SUMS])


def release_extras(tables: dict[str, pd.DataFrame]) -> Callable[[Path, dict], None]:
    def write(folder: Path, manifest: dict) -> None:
        folder = Path(folder)
        (folder / codebook.CODEBOOK).write_text(codebook.render(manifest), encoding="utf-8")
        datapackage.write(folder, manifest, card.LICENSE)
        (folder / card.CITATION).write_text(card.render_citation(manifest), encoding="utf-8")
        write_timeline(tables.get("rounds"), folder / TIMELINE)
        files = sorted([t["file"] for t in manifest["tables"].values()] + EXTRA_FILES + ["manifest.json"])
        (folder / card.CARD).write_text(card.render_card(manifest, tables, files), encoding="utf-8")
        card.write_sha256sums(folder)
        manifest["files"] = {name: {"sha256": card.sha256(folder / name), "bytes": (folder / name).stat().st_size}
                             for name in EXTRA_FILES}

    return write
