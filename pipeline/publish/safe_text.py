"""Text made safe to print: terminal control sequences made visible (spreadsheet formulas: publish/cells.py).

Article text, file names, URLs and publishers come from outside. Printed raw, an ESC or CSI sequence can
rewrite the terminal (hide lines, change the title, fake output).
"""
from __future__ import annotations

import re

# C0 and C1 control characters and DEL, and the Unicode bidirectional overrides and isolates that reorder what a
# terminal shows ("Trojan Source"). Tab and newline are kept where the format has a place for them.
_RAW_IN_JSON = "\x7f-\x9f\u202a-\u202e\u2066-\u2069"  # what json.dumps leaves raw: DEL, C1, bidi
_CONTROLS = "\x00-\x08\x0b-\x1f" + _RAW_IN_JSON
_ALL = re.compile(f"[{_CONTROLS}\t\n]")
_KEEP_LINES = re.compile(f"[{_CONTROLS}]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep_lines: bool = False) -> str:
    """`text` with every control character written as a visible escape (\\x1b); with keep_lines, tab and newline
    stay as they are (for CSV, whose quoting holds them)."""
    return (_KEEP_LINES if keep_lines else _ALL).sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text (from json.dumps(..., ensure_ascii=False)) with the controls it leaves raw (DEL, C1, bidi) as
    \\u escapes: the same data once parsed, nothing a terminal acts on."""
    return re.sub(f"[{_RAW_IN_JSON}]", lambda m: f"\\u{ord(m.group()):04x}", text)
