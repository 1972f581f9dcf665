"""A product's result lines held column by column: ``LineColumns``.

A million-line assessment held as a million ``LineResult`` objects took ≈ 5 KiB a line (the
pydantic instance, its dict and fields-set, the nested ``ClimateChange``).  ``LineColumns``
keeps one column per ``LineResult`` field instead — a NumPy float64 array per float field
(with a mask where the field may be None), one array per float field of a nested model
(``climate_change.total`` …), a plain list of references for every other field (strings,
enums, dicts: the objects the BOM line already holds) — and is a ``Sequence[LineResult]``:
``len``, indexing, slicing, iteration, ``in`` and ``==`` (with a list of ``LineResult`` too)
behave as on a list.  A ``LineResult`` is built when a caller indexes or iterates, from
values that already have their fields' types (no second validation), and is not kept:
each access builds a new object, equal to the last; changing it does not change the column
(change lines through ``model_copy(update={"lines": ...})``, as with a list).

The columns follow ``LineResult.model_fields``: a field added to ``LineResult`` must be given
to ``LineColumns`` (construction refuses missing or unknown columns), so every field, present
and future, goes through the columns and back.

``ProductResult.lines`` holds either a list of ``LineResult`` (as before: any code may pass
one) or a ``LineColumns`` (what the engine builds).  Both serialise to the same JSON; the
streamed ``Assessment.to_json`` (``footprint.json_writer``) writes the lines chunk by chunk.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, Union, get_args, get_origin, overload

import numpy as np
from pydantic import BaseModel

from footprint.model import ClimateChange, LineResult, LineView

CHUNK = 4096  # lines built at a time when iterating or writing
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _Field:
    """How one field is stored: ``float`` (array), ``optional float`` (array + None mask),
    ``model`` (its own fields as columns, ``parts``), ``optional model`` (the same + a None
    mask), ``container`` (a list of dicts or lists, copied for each line built) or ``object``
    (a list)."""

    name: str
    kind: str
    model: type[BaseModel] | None = None
    parts: tuple[_Field, ...] = ()
    given: frozenset[str] = frozenset()  # the nested model's fields recorded as set

    def plain(self) -> _Field:
        """The field without its None mask (``optional float`` → ``float`` …)."""
        return _Field(
            self.name, self.kind.removeprefix("optional "), self.model, self.parts, self.given
        )


def _field(name: str, annotation: Any) -> _Field:
    if annotation is float:
        return _Field(name, "float")
    origin = get_origin(annotation)
    optional = ""
    if origin in (Union, types.UnionType) and type(None) in get_args(annotation):
        others = [a for a in get_args(annotation) if a is not type(None)]
        if len(others) == 1:
            annotation, optional = others[0], "optional "
            if annotation is float:
                return _Field(name, "optional float")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        parts = tuple(_field(n, f.annotation) for n, f in annotation.model_fields.items())
        if all(p.kind in ("float", "object") for p in parts):
            given = frozenset(p.name for p in parts if p.kind == "float")
            return _Field(name, f"{optional}model", annotation, parts, given)
    if origin in (dict, list):
        return _Field(name, "container")
    return _Field(name, "object")


FIELDS: tuple[_Field, ...] = tuple(
    _field(n, f.annotation) for n, f in LineResult.model_fields.items()
)
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
_PLAIN = {field: field.plain() for field in FIELDS}  # made once, not for each column stored
_POSITION = {name: k for k, name in enumerate(NAMES)}
# what a validated construction by the engine records as set: cut-off figure and note are
# set only on the lines the CFF changed (``model_copy(update=…)`` adds them)
_UNSET_BY_DEFAULT = frozenset({"climate_change_cut_off", "note"})


def _missing(values: list[Any]) -> np.ndarray | None:
    nones = values.count(None)
    if not nones:
        return None
    if nones == len(values):
        return np.ones(len(values), dtype=bool)
    return np.fromiter((v is None for v in values), dtype=bool, count=len(values))


def _stored(field: _Field, values: Any, n: int) -> Any:
    """``values`` in the field's storage.  Given as a sequence of the field's values, or: for a
    float field an array; for a model field a mapping of part → column; for an optional field
    (its plain form, a None mask)."""
    if field.kind == "float":
        array = np.asarray(values, dtype=np.float64)
        if array.shape != (n,):
            raise ValueError(f"column {field.name!r}: {array.shape} values for {n} lines")
        return array
    if field.kind.startswith("optional "):
        plain = _PLAIN[field]
        if isinstance(values, tuple):  # (plain values, None mask)
            given, missing = values
            return (_stored(plain, given, n), missing if missing.any() else None)
        if isinstance(values, np.ndarray):  # an array has no None
            return (_stored(plain, values, n), None)
        values = list(values)
        missing = _missing(values)
        if missing is not None and missing.all():
            return (None, missing)  # nothing to store (the cut-off figure of most lines)
        if missing is not None:
            blank = 0.0 if field.model is None else field.model()
            values = [blank if v is None else v for v in values]
        return (_stored(plain, values, n), missing)
    if field.kind == "model":
        if not isinstance(values, Mapping):  # model instances
            items = list(values)
            values = {p.name: [getattr(item, p.name) for item in items] for p in field.parts}
        if set(values) != {p.name for p in field.parts}:
            raise ValueError(f"column {field.name!r}: parts {sorted(values)} given")
        return {p.name: _stored(p, values[p.name], n) for p in field.parts}
    values = values if isinstance(values, list) else list(values)
    if len(values) != n:
        raise ValueError(f"column {field.name!r}: {len(values)} values for {n} lines")
    return values


def _chunk(field: _Field, column: Any, start: int, stop: int, as_dicts: bool = False) -> list[Any]:
    """The field's values of lines start … stop − 1, as the model's field holds them
    (``as_dicts``: a nested model as a plain dict, containers not copied: for writing)."""
    if field.kind == "float":
        return column[start:stop].tolist()
    if field.kind.startswith("optional "):
        stored, missing = column
        if stored is None:
            return [None] * (stop - start)
        values = _chunk(_PLAIN[field], stored, start, stop, as_dicts)
        if missing is not None:
            for k in np.flatnonzero(missing[start:stop]).tolist():
                values[k] = None
        return values
    if field.kind == "model":
        assert field.model is not None
        parts = [_chunk(p, column[p.name], start, stop) for p in field.parts]
        if as_dicts:
            names = [p.name for p in field.parts]
            return [dict(zip(names, row, strict=True)) for row in zip(*parts, strict=True)]
        return _built(field.model, parts, given=field.given)
    if field.kind == "container" and not as_dicts:  # each built line gets its own
        return [value.copy() for value in column[start:stop]]
    return column[start:stop]


class LineColumns(LineView):
    """The lines of one product, column by column (see the module docstring)."""

    __slots__ = ("_columns", "_length")

    def __init__(self, columns: Mapping[str, Any], length: int) -> None:
        missing = [name for name in NAMES if name not in columns]
        unknown = sorted(set(columns) - set(NAMES))
        if missing or unknown:
            raise ValueError(
                f"LineColumns needs one column per LineResult field: missing {missing}, "
                f"unknown {unknown}"
            )
        self._length = length
        self._columns = {f.name: _stored(f, columns[f.name], length) for f in FIELDS}

    @classmethod
    def from_lines(cls, lines: Sequence[LineResult]) -> LineColumns:
        """Columns of the given line objects (the reverse of ``list(columns)``)."""
        lines = list(lines)
        return cls({name: [getattr(line, name) for line in lines] for name in NAMES}, len(lines))

    # -- Sequence ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> LineResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[LineResult]: ...

    def __getitem__(self, index: int | slice) -> LineResult | list[LineResult]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step == 1:
                return self.built(start, max(start, stop))
            return [self[k] for k in range(start, stop, step)]
        position = index.__index__()
        if position < 0:
            position += self._length
        if not 0 <= position < self._length:
            raise IndexError("line index out of range")
        return self.built(position, position + 1)[0]

    def __iter__(self) -> Iterator[LineResult]:
        for start in range(0, self._length, CHUNK):
            yield from self.built(start, min(self._length, start + CHUNK))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineColumns | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, as a list

    def __repr__(self) -> str:
        return f"LineColumns({self._length} lines)"

    def __reduce__(self) -> tuple[Callable[..., LineColumns], tuple[Any, ...]]:
        return (_restored, (self._columns, self._length))

    # -- columns -----------------------------------------------------------------------------

    def built(self, start: int, stop: int) -> list[LineResult]:
        """``LineResult`` objects of lines start … stop − 1, built from the columns."""
        values = [_chunk(f, self._columns[f.name], start, stop) for f in FIELDS]
        cut_off = values[_POSITION["climate_change_cut_off"]]
        return _built(LineResult, values, cut_off, values[_POSITION["note"]])

    def rows(self, start: int, stop: int) -> list[dict[str, Any]]:
        """Lines start … stop − 1 as plain dicts, nested models as dicts (for writing them:
        ``footprint.json_writer``); not copies, not to be changed."""
        values = [_chunk(f, self._columns[f.name], start, stop, as_dicts=True) for f in FIELDS]
        return [dict(zip(NAMES, row, strict=True)) for row in zip(*values, strict=True)]

    def stored(self, name: str) -> Any:
        """A field's column as stored (see ``_stored``): for writing it (``json_writer``);
        not a copy, not to be changed."""
        return self._columns[name]

    def values(self, name: str) -> list[Any]:
        """Every line's value of one field (``"climate_change.total"``: of a nested model's
        field), as the line objects would hold it."""
        field, column = self._field(name)
        return _chunk(field, column, 0, self._length)

    def array(self, name: str) -> np.ndarray:
        """A float field's column (read-only view; None where the field is None is NaN)."""
        field, column = self._field(name)
        if field.kind == "float":
            array = column
        elif field.kind == "optional float":
            array, missing = column
            if missing is not None:
                array = np.where(missing, np.nan, array)
        else:
            raise TypeError(f"{name!r} is not a float field")
        view = array.view()
        view.flags.writeable = False
        return view

    def replaced(self, columns: Mapping[str, Any]) -> LineColumns:
        """A copy with some columns replaced (the others shared: columns are never changed in
        place)."""
        new = LineColumns.__new__(LineColumns)
        new._length = self._length
        new._columns = dict(self._columns)
        for f in FIELDS:
            if f.name in columns:
                new._columns[f.name] = _stored(f, columns[f.name], self._length)
        unknown = sorted(set(columns) - set(NAMES))
        if unknown:
            raise ValueError(f"unknown columns {unknown}")
        return new

    def _field(self, name: str) -> tuple[_Field, Any]:
        top, _, part = name.partition(".")
        field = next(f for f in FIELDS if f.name == top)
        column = self._columns[top]
        if part:
            field = next(p for p in field.parts if p.name == part)
            column = column[part]
        return field, column


def _restored(columns: dict[str, Any], length: int) -> LineColumns:
    new = LineColumns.__new__(LineColumns)
    new._columns, new._length = columns, length
    return new


_GIVEN = frozenset(NAMES) - _UNSET_BY_DEFAULT
_GIVEN_ALL = frozenset(NAMES)


def constructed(cls: type[M], values: dict[str, Any], given: frozenset[str]) -> M:
    """A model instance from values that already have their fields' types, not re-validated.

    What ``model_construct`` does, without its Python loop over the fields: at a million
    lines, validating each line's values again in pydantic-core was half of the assessment.
    ``values`` must hold every field, in the model's order; ``given`` is what a validated
    construction would record as set (a copy per instance: ``model_copy`` updates it).
    """
    instance = cls.__new__(cls)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(given))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def _built(
    cls: type[M],
    columns: list[list[Any]],
    cut_off: list[Any] | None = None,
    note: list[Any] | None = None,
    given: frozenset[str] = _GIVEN,
) -> list[M]:
    """``constructed`` for each row of ``columns`` (one list per field, in the model's order),
    inlined: at a million lines the call per line was a fifth of the time.  A row whose
    ``cut_off`` or ``note`` is set records them as set (the CFF's ``model_copy`` did)."""
    names = tuple(cls.model_fields)
    new, assign = cls.__new__, object.__setattr__
    built = []
    for row in zip(*columns, strict=True):
        instance = new(cls)
        assign(instance, "__dict__", dict(zip(names, row, strict=True)))
        assign(instance, "__pydantic_fields_set__", set(given))
        assign(instance, "__pydantic_extra__", None)
        assign(instance, "__pydantic_private__", None)
        built.append(instance)
    if cut_off is not None and note is not None:
        changed = len(cut_off) - cut_off.count(None) or len(note) - note.count(None)
        for k in range(len(built)) if changed else ():
            if cut_off[k] is not None or note[k] is not None:
                object.__setattr__(built[k], "__pydantic_fields_set__", set(_GIVEN_ALL))
    return built


def climate_parts(figures: np.ndarray, columns: Mapping[str, int]) -> dict[str, Any]:
    """A ``ClimateChange`` column from an array of figures (one row per line): each float part
    from its column of ``figures`` (``columns``: part → column), the unit its default."""
    parts: dict[str, Any] = {}
    for part in next(f for f in FIELDS if f.model is ClimateChange).parts:
        if part.kind == "float":
            parts[part.name] = figures[:, columns[part.name]]
        else:
            default = ClimateChange.model_fields[part.name].default
            parts[part.name] = [default] * len(figures)
    return parts
