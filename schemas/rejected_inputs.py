"""rejected_inputs: every input file, record or manifest row that could not be used, and why."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

REASONS = ["empty", "binary", "undecodable", "too_large", "unsupported_type", "malformed_json", "no_text",
           "no_article", "unreadable", "outside_folder", "malformed_manifest", "manifest_missing_file",
           "manifest_bad_date", "manifest_unknown_column", "symlink_loop", "not_a_file", "data_folder"]


class RejectedInputsSchema(pa.DataFrameModel):
    source_file: Series[str] = pa.Field(description="The file (relative to the input folder), 'file#record' for one record of a JSON file, or 'manifest.csv:<line>'.")
    reason: Series[str] = pa.Field(isin=REASONS, description="Why it was not used: " + ", ".join(REASONS) + ".")
    bytes: Series[pa.Int64] = pa.Field(nullable=True, ge=0, description="Size of the file in bytes, when it was looked at.")
    detail: Series[str] = pa.Field(description="A readable explanation.")

    class Config:
        coerce = True
        strict = False
