"""The assessment as JSON, written piece by piece: the lines of a product are never all held
as objects, nor the document as one string when it goes to a file.

The document is pydantic's ``model_dump_json`` of the ``Assessment`` in which every
product's ``lines`` is first written as a placeholder (a string no input can hold: a NUL and
a random token); each placeholder is then replaced by the product's lines, ``WRITTEN``
lines at a time.  Lines held as columns (``LineColumns``, what the engine builds) are
written from the columns, field by field for the whole chunk: each float column formatted
in one pass (``float_texts``: Python's shortest repr, which gives pydantic's digits, with
pydantic's exponent form), texts that need no escape put in as they are, a column of one
value formatted once, and the lines joined from a template of the constant pieces (keys,
indentation).  A value this does not know how to write (a field type added later, a
non-empty ``extra``) is written by pydantic's serialiser for its annotation.  Lines held as
a list go through pydantic's serialiser for ``list[LineResult]``.  The bytes are those of
``model_dump_json`` of the whole model (same key order, float text, escapes, indentation):
``tests/engine/test_line_columns.py`` compares them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from json.encoder import encode_basestring  # in C; escapes what serde_json (pydantic) does
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ConfigDict, TypeAdapter

from footprint.lines import FIELDS, LineColumns, _Field, _restored
from footprint.memory import cyclic_gc_paused
from footprint.model import LINES_CONTEXT, LineResult, strict_json

if TYPE_CHECKING:
    from footprint.model import Assessment

WRITTEN = 16_384  # lines written at a time (≈ 20 MB of indented text)
_LINES = TypeAdapter(list[LineResult])
_ESCAPED = re.compile(r'[\x00-\x1f"\\]')  # what JSON (and pydantic) writes escaped
_INF_NAN = ConfigDict(ser_json_inf_nan=LineResult.model_config["ser_json_inf_nan"])
Column = str | list[str]  # a piece of a chunk: the same text for every line, or one a line


def json_pieces(assessment: Assessment, indent: int | None = 2) -> Iterator[str]:
    """The JSON document of ``assessment``, in pieces that join to ``model_dump_json``'s
    text; ``ValueError`` (before the piece that holds it) when a figure is NaN or infinite."""
    import uuid

    token = f"footprint-lines-{uuid.uuid4().hex}-"
    held: list[Sequence[LineResult]] = []

    def placeholder(lines: Sequence[LineResult]) -> str:
        held.append(lines)
        return f"\x00{token}{len(held) - 1}"

    text = strict_json(
        assessment.model_dump_json(indent=indent, context={LINES_CONTEXT: placeholder})
    )
    position = 0
    matches = re.finditer(r'"\\u0000' + re.escape(token) + r'(\d+)"', text)
    for group in _groups(text, matches, held):
        pads = {pad for _, _, pad in group}
        views = [lines for _, lines, _ in group if isinstance(lines, LineColumns)]
        arrays: list[Iterable[str]]
        if len(group) > 1 and len(pads) == 1 and len(views) == len(group):
            arrays = [[a] for a in _batch_json(views, indent, *pads)]  # written together
        else:
            arrays = [_lines_json(lines, indent, pad) for _, lines, pad in group]
        for (found, _, _), array in zip(group, arrays, strict=True):
            yield text[position : found.start()]
            yield from array
            position = found.end()
    yield text[position:]


def _groups(
    text: str, matches: Iterator[re.Match[str]], held: list[Sequence[LineResult]]
) -> Iterator[list[tuple[re.Match[str], Sequence[LineResult], int]]]:
    """The placeholders with their lines and indentation, consecutive products whose lines
    are columns grouped up to ``WRITTEN`` lines (written in one pass, ``_batch_json``)."""
    group: list[tuple[re.Match[str], Sequence[LineResult], int]] = []
    count = 0
    for found in matches:
        start_of_line = text.rfind("\n", 0, found.start()) + 1
        key = text[start_of_line : found.start()]
        lines = held[int(found.group(1))]
        item = (found, lines, len(key) - len(key.lstrip(" ")))
        small = isinstance(lines, LineColumns) and len(lines) < WRITTEN
        if group and (not small or count + len(lines) > WRITTEN):
            yield group
            group, count = [], 0
        group.append(item)
        count += len(lines) if small else WRITTEN
    if group:
        yield group


def document(assessment: Assessment, indent: int | None = 2) -> str:
    """The whole document as one string (``Assessment.to_json``)."""
    with cyclic_gc_paused():  # millions of strings, no cycles
        return "".join(json_pieces(assessment, indent))


def write_json(
    assessment: Assessment,
    path: str | Path,
    indent: int | None = 2,
    *,
    kept: list[str] | None = None,
) -> Path:
    """Stream the document into ``path`` (whole or not at all: a temporary file renamed);
    ``kept``: a list that also receives every piece (for ``to_json``, which returns them)."""
    from footprint.io import atomic_path

    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        write_to(assessment, handle, indent, kept=kept)
    return Path(path)


def write_to(
    assessment: Assessment, handle: Any, indent: int | None = 2, *, kept: list[str] | None = None
) -> None:
    """Stream the document into an open text file (``handle.write``)."""
    with cyclic_gc_paused():  # millions of strings, no cycles
        for piece in json_pieces(assessment, indent):
            handle.write(piece)
            if kept is not None:
                kept.append(piece)


def _lines_json(lines: Sequence[LineResult], indent: int | None, pad: int) -> Iterator[str]:
    """``lines`` as the JSON array pydantic writes for the field at ``pad`` spaces."""
    if not lines:
        yield "[]"
        return
    yield "["
    newline = "" if indent is None else "\n" + " " * pad
    for start in range(0, len(lines), WRITTEN):
        stop = min(len(lines), start + WRITTEN)
        if isinstance(lines, LineColumns):
            text = _columns_json(lines, start, stop, indent, pad)
        else:
            text = _list_json(list(lines[start:stop]), indent, pad)
        yield text[1:] if start == 0 else text  # no comma before the first line
    yield newline + "]"


def _list_json(lines: list[LineResult], indent: int | None, pad: int) -> str:
    """Lines as pydantic writes them, each after a comma (and its indentation)."""
    text = strict_json(_LINES.dump_json(lines, indent=indent).decode())
    if indent is None:
        return "," + text[1:-1]
    # "[\n  {…},\n  {…}\n]": the items, indented by the field's own indentation
    return ",\n" + " " * pad + text[2:-2].replace("\n", "\n" + " " * pad)


# -- lines from their columns -------------------------------------------------------------


def _columns_json(
    lines: LineColumns,
    start: int,
    stop: int,
    indent: int | None,
    pad: int,
    prefixes: list[str] | None = None,
) -> str:
    """Lines start … stop − 1 as JSON objects, each after a comma and its indentation
    (``prefixes``: what comes before each line, when not that)."""
    level = pad + (indent or 0)  # the items' indentation
    prefix: Column = "," if indent is None else ",\n" + " " * level
    pieces: list[Column] = [prefix if prefixes is None else prefixes]
    _object(pieces, LineResult, FIELDS, lines.stored, _Chunk(start, stop, indent, []), level)
    return _joined(pieces, stop - start)


def _batch_json(views: list[LineColumns], indent: int | None, pad: int) -> list[str]:
    """The ``lines`` arrays of several products, written as one chunk of their columns put
    end to end (each product's first line marked by a NUL, which JSON text never holds)."""
    counts = [len(view) for view in views]
    merged = _restored(
        {f.name: _merged(f, [v.stored(f.name) for v in views], counts) for f in FIELDS},
        sum(counts),
    )
    prefix = "," if indent is None else ",\n" + " " * (pad + indent)
    prefixes = [prefix] * len(merged)
    for first, count in zip(np.cumsum([0, *counts[:-1]]).tolist(), counts, strict=True):
        if count:
            prefixes[first] = "\x00" + prefix
    text = _columns_json(merged, 0, len(merged), indent, pad, prefixes) if merged else ""
    close = "]" if indent is None else "\n" + " " * pad + "]"
    arrays = iter(["[" + part[1:] + close for part in text.split("\x00")[1:]])
    return [next(arrays) if count else "[]" for count in counts]


def _merged(field: _Field, columns: list[Any], counts: list[int]) -> Any:
    """One field's stored columns of several products as one stored column."""
    if field.kind == "float":
        return np.concatenate(columns)
    if field.kind == "model":
        return {p.name: _merged(p, [c[p.name] for c in columns], counts) for p in field.parts}
    if field.kind.startswith("optional "):
        if all(stored is None for stored, _ in columns):
            return (None, None)  # None on every line
        plain = field.plain()
        stored = [
            _blank(plain, n) if s is None else s for (s, _), n in zip(columns, counts, strict=True)
        ]
        missing = np.concatenate(
            [
                np.ones(n, bool) if s is None else np.zeros(n, bool) if m is None else m
                for (s, m), n in zip(columns, counts, strict=True)
            ]
        )
        return (_merged(plain, stored, counts), missing if missing.any() else None)
    return list(itertools.chain.from_iterable(columns))


def _blank(field: _Field, count: int) -> Any:
    """A stored column for lines whose value is None (never written: masked)."""
    if field.kind == "float":
        return np.zeros(count)
    if field.kind == "model":
        return {p.name: _blank(p, count) for p in field.parts}
    return [None] * count


@dataclass(frozen=True)
class _Chunk:
    """Lines start … stop − 1, written with ``indent``; ``seen``: the float columns of the
    chunk formatted so far."""

    start: int
    stop: int
    indent: int | None
    seen: list[tuple[np.ndarray, Column]]


def _object(
    pieces: list[Column],
    model: type[BaseModel],
    fields: Sequence[_Field],
    column: Any,
    chunk: _Chunk,
    level: int,
) -> None:
    """The pieces of one object per line (``column(name)``: a field's stored column)."""
    indent = chunk.indent
    if indent is None:
        first, between, colon, close = "{", ",", ":", "}"
    else:
        inner = "\n" + " " * (level + indent)
        first, between, colon, close = "{" + inner, "," + inner, ": ", "\n" + " " * level + "}"
    for k, part in enumerate(fields):
        pieces.append((between if k else first) + encode_basestring(part.name) + colon)
        annotation = model.model_fields[part.name].annotation
        _value(pieces, part, annotation, column(part.name), chunk, level + (indent or 0))
    pieces.append(close if fields else "{}")


def _value(
    pieces: list[Column],
    field: _Field,
    annotation: Any,
    column: Any,
    chunk: _Chunk,
    level: int,
) -> None:
    """The pieces of one field's values (``column`` in the field's storage, see lines.py)."""
    start, stop, seen = chunk.start, chunk.stop, chunk.seen
    count = stop - start
    kind = field.kind
    if kind == "float":
        pieces.append(float_texts(column[start:stop], seen))
    elif kind == "optional float":
        stored, missing = column
        if stored is None:
            pieces.append("null")
            return
        texts = float_texts(stored[start:stop], seen)
        pieces.append(_with_nulls(texts, missing, start, stop))
    elif kind == "model":
        assert field.model is not None
        _object(pieces, field.model, field.parts, column.__getitem__, chunk, level)
    elif kind == "optional model":
        assert field.model is not None
        stored, missing = column
        if stored is None:
            pieces.append("null")
            return
        nested: list[Column] = []
        _object(nested, field.model, field.parts, stored.__getitem__, chunk, level)
        if missing is None or not missing[start:stop].any():
            pieces.extend(nested)
            return
        # some lines have None: each line's object as its own text (NUL never is in JSON)
        texts = _joined([*nested, "\x00"], count).split("\x00")[:-1]
        pieces.append(_with_nulls(texts, missing, start, stop))
    else:
        _plain(pieces, annotation, column[start:stop], chunk.indent, level)


def _with_nulls(texts: Column, missing: np.ndarray | None, start: int, stop: int) -> Column:
    if missing is None:
        return texts
    where = np.flatnonzero(missing[start:stop]).tolist()
    if len(where) == stop - start:
        return "null"
    if where:  # a copy: the texts may be another column's too
        texts = [texts] * (stop - start) if isinstance(texts, str) else list(texts)
        for k in where:
            texts[k] = "null"
    return texts


def _plain(
    pieces: list[Column], annotation: Any, values: list[Any], indent: int | None, level: int
) -> None:
    """Values of a field held as a list: texts, integers, enums, dicts …"""
    first = values[0]
    if values.count(first) == len(values) and len(set(map(type, values))) == 1:
        pieces.append(_dumped(annotation, first, indent, level))  # one value: written once
        return
    base = _base(annotation)
    if base is str or (isinstance(base, type) and issubclass(base, Enum) and issubclass(base, str)):
        texts: list[Any] = values if base is str else [v and v._value_ for v in values]
        try:
            joined = "".join(texts)  # every value a text (no None)
        except TypeError:
            pass
        else:
            if _ESCAPED.search(joined) is None:  # nothing to escape: the texts as they are
                pieces.extend(['"', texts, '"'])
                return
        pieces.append(["null" if v is None else encode_basestring(v) for v in texts])
    elif base is int and set(map(type, values)) <= {int, type(None)}:
        if None in values:
            pieces.append(["null" if v is None else int.__repr__(v) for v in values])
        else:
            pieces.append(list(map(int.__repr__, values)))
    elif get_origin(base) in (dict, list):  # empty ones as pydantic writes them
        empty = "{}" if get_origin(base) is dict else "[]"
        pieces.append(
            [
                empty if v is not None and not v else _dumped(annotation, v, indent, level)
                for v in values
            ]
        )
    else:
        pieces.append([_dumped(annotation, v, indent, level) for v in values])


def _base(annotation: Any) -> Any:
    """The annotation without ``| None``."""
    if get_origin(annotation) in (Union, type(int | None)):
        others = [a for a in get_args(annotation) if a is not type(None)]
        if len(others) == 1:
            return others[0]
    return annotation


def _dumped(annotation: Any, value: Any, indent: int | None, level: int) -> str:
    """One value as pydantic writes it for its annotation, at ``level`` spaces."""
    if value is None:
        return "null"
    text = strict_json(_adapter(annotation).dump_json(value, indent=indent).decode())
    return text if indent is None else text.replace("\n", "\n" + " " * level)


@lru_cache(maxsize=64)
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation, config=_INF_NAN)


def float_texts(values: np.ndarray, seen: list[tuple[np.ndarray, Column]] | None = None) -> Column:
    """pydantic's JSON text of each float: the digits of Python's ``repr`` (both the
    shortest text that reads back as the same float), the exponent as pydantic writes it
    (``1e-7``, ``1e+16``; ``0.00001`` where repr writes ``1e-05``).  ``ValueError`` for NaN
    or infinity (as ``strict_json``).  One text when all values are one; the texts of an
    equal column in ``seen`` (quantity and mass in kg …); each distinct value formatted
    once when a sample shows values repeating (unit scores of a dataset used often)."""
    if not np.isfinite(values).all():
        bad = float(values[~np.isfinite(values)][0])
        constant = "NaN" if bad != bad else ("Infinity" if bad > 0 else "-Infinity")
        raise ValueError(f"the assessment holds {constant}: it is not written as JSON")
    bits = values.view(np.int64)  # equal bits: equal texts (0.0 and -0.0 differ)
    if len(bits) and (bits == bits[0]).all():  # one value (0.0 …): formatted once
        return _float_text(repr(float(values[0])))
    for earlier, texts in seen or ():
        if np.array_equal(earlier, bits):
            return texts
    sample = bits[:: max(1, len(bits) // 256)].tolist()
    if len(bits) >= 1024 and 2 * len(set(sample)) < len(sample):
        distinct, where = np.unique(bits, return_inverse=True)
        texts = np.array(_texts(distinct.view(np.float64)), dtype=object)[where].tolist()
    else:
        texts = _texts(values)
    if seen is not None:
        seen.append((bits, texts))
    return texts


def _texts(values: np.ndarray) -> list[str]:
    texts = list(map(float.__repr__, values.tolist()))
    magnitude = np.abs(values)
    small = (magnitude < 1e-3) & (magnitude > 0)  # where repr may write "e-0…"
    if small.any():
        for k in np.flatnonzero(small).tolist():
            texts[k] = _float_text(texts[k])
    return texts


def _float_text(text: str) -> str:
    """A repr in pydantic's form: negative exponents without leading zeros, ``d.ddde-05``
    written out as ``0.0000dddd`` (positive exponents, from 1e+16, are the same)."""
    mantissa, e, exponent = text.partition("e")
    if not e or exponent[0] == "+":
        return text
    power = int(exponent)
    if power == -5:
        sign = "-" if mantissa[0] == "-" else ""
        return sign + "0.0000" + mantissa.lstrip("-").replace(".", "")
    return f"{mantissa}e{power}"


def _joined(pieces: list[Column], count: int) -> str:
    """``count`` lines from their pieces: a text is the same in each line, a list has one
    text a line (consecutive texts merged; one slice assignment a piece, one join)."""
    merged: list[Column] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    width = len(merged)
    parts: list[str] = [""] * (width * count)
    for k, piece in enumerate(merged):
        parts[k::width] = [piece] * count if isinstance(piece, str) else piece
    return "".join(parts)
