"""Text for the terminal, kept inert: what a BOM or dataset file says is shown, never obeyed.

Every command prints through ``echo`` (plain lines) or builds rich markup with ``markup``
around each user-supplied string (product ids and names, file paths, units, messages that
quote cells).  Both apply ``inert``:

- control characters (C0 such as ESC, CR, BEL, backspace; DEL; C1 such as the 8-bit CSI
  ``\\x9b``) and the Unicode bidirectional overrides that reorder what is shown are replaced
  by their visible escape (``\\x1b``, ``\\u202e``): the user sees what the cell holds, and no
  escape sequence, hyperlink or cursor move reaches the terminal;
- for rich output, markup (``[link=…]``, ``[/dim]``) is escaped so it is printed as written,
  and consoles are made with emoji codes (``:thumbs_up:``) and highlighting off.
"""

from __future__ import annotations

import re

import typer
from rich.console import Console
from rich.markup import escape

# C0 except tab and newline, DEL, C1, and the bidirectional embedding/override/isolate marks
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSAFE_IN_LINE = re.compile(_UNSAFE.pattern[:-1] + r"\n\t]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: object, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as its escape (``one_line``: newlines and
    tabs too, for messages that must stay one line)."""
    return (_UNSAFE_IN_LINE if one_line else _UNSAFE).sub(_visible, str(text))


def markup(text: object, *, one_line: bool = False) -> str:
    """A user-supplied string made safe to put inside rich markup: inert, markup escaped."""
    return escape(inert(text, one_line=one_line))


def echo(text: object = "", *, err: bool = False, one_line: bool = False) -> None:
    """Print plain text inertly (``one_line``: a newline inside it is shown as ``\\x0a``)."""
    typer.echo(inert(text, one_line=one_line), err=err)


def console(*, stderr: bool = False, quiet: bool = False) -> Console:
    """A rich console for footprint's output: no emoji codes, no automatic highlighting."""
    return Console(stderr=stderr, quiet=quiet, emoji=False, highlight=False)


def json_text(text: str) -> str:
    """JSON text with the control characters JSON allows raw (DEL, C1, bidi marks) written as
    ``\\uXXXX`` escapes: the same document, inert in a terminal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
