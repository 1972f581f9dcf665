"""The assessment as JSON, written piece by piece: the lines of a product are never all held
as objects, nor the document as one string when it goes to a file.

The document is pydantic's ``model_dump_json`` of the ``Assessment`` in which every
product's ``lines`` is first written as a placeholder (a string no input can hold: a NUL and
a random token); each placeholder is then replaced by the product's lines, dumped
``CHUNK`` lines at a time by pydantic's own serialiser for ``list[LineResult]`` and indented
to where they sit.  The bytes are those of ``model_dump_json`` of the whole model (same key
order, float repr, escapes, indentation): ``tests/test_line_columns.py`` compares them.
"""

from __future__ import annotations

import re
import types
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter
from typing_extensions import TypedDict

from footprint.lines import CHUNK, LineColumns
from footprint.model import LINES_CONTEXT, LineResult, strict_json

if TYPE_CHECKING:
    from footprint.model import Assessment

_LINES = TypeAdapter(list[LineResult])


def _typed_dict(model: type[BaseModel]) -> Any:
    """A TypedDict with the fields of ``model`` (nested models as TypedDicts), annotated as the
    model annotates them: pydantic serialises a dict of it with the same serialisers (and,
    given the models' JSON settings, the same bytes) without a model object per line."""
    fields = {name: _as_typed(field.annotation) for name, field in model.model_fields.items()}
    make: Any = TypedDict  # a TypedDict made at run time, from the model's fields
    return make(f"{model.__name__}Row", fields)


def _as_typed(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _typed_dict(annotation)
    if get_origin(annotation) in (Union, types.UnionType):
        choices = tuple(_as_typed(a) for a in get_args(annotation))
        return Union[choices]  # noqa: UP007  # built from a tuple
    return annotation


_ROW_LIST: Any = types.GenericAlias(list, (_typed_dict(LineResult),))
_ROWS: TypeAdapter[Any] = TypeAdapter(
    _ROW_LIST, config=ConfigDict(ser_json_inf_nan=LineResult.model_config["ser_json_inf_nan"])
)


def json_pieces(assessment: Assessment, indent: int | None = 2) -> Iterator[str]:
    """The JSON document of ``assessment``, in pieces that join to ``model_dump_json``'s
    text; ``ValueError`` (before the piece that holds it) when a figure is NaN or infinite."""
    token = f"footprint-lines-{uuid.uuid4().hex}-"
    held: list[Sequence[LineResult]] = []

    def placeholder(lines: Sequence[LineResult]) -> str:
        held.append(lines)
        return f"\x00{token}{len(held) - 1}"

    text = strict_json(
        assessment.model_dump_json(indent=indent, context={LINES_CONTEXT: placeholder})
    )
    position = 0
    for found in re.finditer(r'"\\u0000' + re.escape(token) + r'(\d+)"', text):
        yield text[position : found.start()]
        start_of_line = text.rfind("\n", 0, found.start()) + 1
        key = text[start_of_line : found.start()]
        pad = len(key) - len(key.lstrip(" "))
        yield from _lines_json(held[int(found.group(1))], indent, pad)
        position = found.end()
    yield text[position:]


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
        for piece in json_pieces(assessment, indent):
            handle.write(piece)
            if kept is not None:
                kept.append(piece)
    return Path(path)


def _chunks(lines: Sequence[LineResult], indent: int | None) -> Iterator[bytes]:
    """The lines as JSON arrays of at most ``CHUNK`` lines (the indentation pydantic gives)."""
    for start in range(0, len(lines), CHUNK):
        stop = min(len(lines), start + CHUNK)
        if isinstance(lines, LineColumns):
            yield _ROWS.dump_json(lines.rows(start, stop), indent=indent)
        else:
            yield _LINES.dump_json(list(lines[start:stop]), indent=indent)


def _lines_json(lines: Sequence[LineResult], indent: int | None, pad: int) -> Iterator[str]:
    """``lines`` as the JSON array pydantic writes for the field at ``pad`` spaces."""
    if not lines:
        yield "[]"
        return
    yield "["
    separator = "" if indent is None else "\n"
    newline = "\n" + " " * pad
    for chunk in _chunks(lines, indent):
        text = strict_json(chunk.decode())
        if indent is None:
            yield separator + text[1:-1]
            separator = ","
        else:  # "[\n  {…},\n  {…}\n]": the items, indented by the field's own indentation
            yield separator + " " * pad + text[2:-2].replace("\n", newline)
            separator = ",\n"
    yield "]" if indent is None else newline + "]"
