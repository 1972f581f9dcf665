"""The assembly tree of a product: finding broken trees, and flattening a valid one.

Rule: an assembly (a line that other lines name as ``parent``) is counted in pieces, and its
children are quantities per one assembly, so a line's amount in one product is its quantity
times the product of the quantities of all its ancestors (its ``multiplier``).  An assembly
with a ``dataset`` of its own also counts that dataset (quantity × its multiplier).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from footprint.errors import BomError, Problem
from footprint.model import BomLine, Product

MAX_DEPTH = 100  # real BOMs have 3–15 levels; deeper trees are generated or broken


@dataclass(frozen=True, slots=True)
class FlatLine:
    """A BOM line with its place in the tree."""

    line: BomLine
    multiplier: float  # product of the quantities of all ancestor assemblies
    path: str  # ids from the top of the product down, joined by " / "
    depth: int  # 0 = top level
    is_assembly: bool


def children_of(lines: Sequence[BomLine]) -> dict[str | None, list[BomLine]]:
    """Parent id (None for the top level) → its child lines, in BOM order."""
    children: dict[str | None, list[BomLine]] = {}
    for line in lines:
        children.setdefault(line.parent, []).append(line)
    return children


def flatten(product: Product) -> list[FlatLine]:
    """Every line of ``product``, depth-first in BOM order, with its multiplier and path."""
    lines = product.lines
    if all(line.parent is None for line in lines) and len({ln.id for ln in lines}) == len(lines):
        # a one-level BOM (the common export): every line at the top, no multipliers
        return [FlatLine(line, 1.0, line.id, 0, False) for line in lines]
    children = children_of(lines)
    flat: list[FlatLine] = []
    # explicit stack rather than recursion: BOMs from PLM exports can be very deep
    stack: list[tuple[BomLine, float, str, int]] = [
        (line, 1.0, line.id, 0) for line in reversed(children.get(None, []))
    ]
    seen: set[str] = set()
    while stack:
        line, multiplier, path, depth = stack.pop()
        if line.id in seen:
            raise BomError(
                _located(f'line "{line.id}" is reached twice: its parents form a cycle', line)
            )
        seen.add(line.id)
        below = children.get(line.id, [])
        flat.append(FlatLine(line, multiplier, path, depth, bool(below)))
        for child in reversed(below):
            stack.append((child, multiplier * line.quantity, f"{path} / {child.id}", depth + 1))
    if len(seen) != len(product.lines):
        unreached = [line for line in product.lines if line.id not in seen]
        raise BomError(
            [
                _located(f'line "{line.id}" cannot be reached from the top level', line)
                for line in unreached
            ]
        )
    return flat


def _located(message: str, line: BomLine) -> Problem:
    return line.source.problem(
        message,
        column="parent",
    )


def tree_problems(
    ids: Sequence[str],
    parents: Sequence[str | None],
    locate: Callable[[int, str], dict[str, object]],
) -> list[Problem]:
    """Parents that do not exist and cycles, for lines given as parallel id/parent lists.

    ``locate(index, column)`` gives the file/sheet/row/column of line ``index``.
    Duplicate ids are reported by the reader; here the first line with an id wins.
    """
    problems: list[Problem] = []
    position: dict[str, int] = {}
    for index, line_id in enumerate(ids):
        position.setdefault(line_id, index)
    for index, parent in enumerate(parents):
        if parent is not None and parent not in position:
            close = difflib.get_close_matches(parent, list(position), n=3)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            problems.append(
                Problem(
                    f'parent "{parent}" is not the id of any line of this product{hint}',
                    **locate(index, "parent"),  # type: ignore[arg-type]
                )
            )
    state: dict[int, int] = {}  # 1 = on the current walk, 2 = done
    for start in range(len(ids)):
        walk: list[int] = []
        node: int | None = start
        while node is not None and state.get(node, 0) == 0:
            state[node] = 1
            walk.append(node)
            parent = parents[node]
            node = position.get(parent) if parent is not None else None
        if node is not None and state.get(node) == 1:
            cycle = walk[walk.index(node) :]
            shown = [*cycle, node] if len(cycle) <= 6 else [*cycle[:3], -1, *cycle[-2:], node]
            names = " → ".join(ids[i] if i >= 0 else "…" for i in shown)
            first = min(cycle)
            problems.append(
                Problem(
                    f"the parents form a cycle: {names}; an assembly cannot contain itself",
                    **locate(first, "parent"),  # type: ignore[arg-type]
                )
            )
        for visited in walk:
            state[visited] = 2
    if not problems:
        problems.extend(_depth_problems(ids, parents, position, locate))
    return problems


def _depth_problems(
    ids: Sequence[str],
    parents: Sequence[str | None],
    position: dict[str, int],
    locate: Callable[[int, str], dict[str, object]],
) -> list[Problem]:
    """A tree deeper than MAX_DEPTH levels is refused (paths would grow without bound)."""
    depth: dict[int, int] = {}
    for start in range(len(ids)):
        walk: list[int] = []
        node: int | None = start
        while node is not None and node not in depth:
            walk.append(node)
            parent = parents[node]
            node = position.get(parent) if parent is not None else None
        level = depth[node] if node is not None else -1
        for visited in reversed(walk):
            level += 1
            depth[visited] = level
        if depth[start] >= MAX_DEPTH:
            return [
                Problem(
                    f"the assembly tree is more than {MAX_DEPTH} levels deep here; footprint "
                    f"reads up to {MAX_DEPTH} levels",
                    **locate(start, "parent"),  # type: ignore[arg-type]
                )
            ]
    return []
