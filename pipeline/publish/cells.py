"""Text cells made safe for spreadsheets: shared by every CSV the project writes (export, query output).

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ (or a tab or carriage return) as a
formula: `=HYPERLINK(...)` in an article's text would become a live link (OWASP "CSV injection"). Such a cell
gets a leading apostrophe, which spreadsheets show as text. A cell that already starts with an apostrophe gets
one more, so the rule is reversible: drop one leading apostrophe from any cell that starts with one.
"""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def spreadsheet_safe(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would read it as a formula (or it starts with one)."""
    return GUARD + text if text.startswith(FORMULA_STARTS + (GUARD,)) else text


def unguarded(text: str) -> str:
    """The text a spreadsheet_safe() cell was made from."""
    return text[1:] if text.startswith(GUARD) else text
