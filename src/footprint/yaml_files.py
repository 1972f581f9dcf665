"""Reading a hand-written YAML file (rule sets, scenarios): size bound, UTF-8, YAML syntax.

One place for what every YAML input of footprint needs before its own validation: the text
and its node tree (for the line numbers of later problems), or one problem naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from footprint.errors import FootprintError, Problem

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(
    path: Path, *, what: str, max_bytes: int, error: type[FootprintError]
) -> tuple[Any, yaml.Node | None]:
    """``(data, node)`` of a YAML file; ``error`` with one problem naming the file otherwise.

    ``what`` names the kind of file in messages ("a rule set", "a scenario").
    """
    where = str(path)
    try:
        if path.stat().st_size > max_bytes:
            limit = f"{max_bytes / 1_000_000:g} MB"
            raise error(Problem(f"{what} file must be under {limit} of YAML text", file=where))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(Problem(f"{what} file not found", file=where)) from None
    except UnicodeDecodeError:
        raise error(Problem(f"not a UTF-8 text file; {what} is YAML", file=where)) from None
    except OSError as failure:
        raise error(Problem(f"cannot read the file: {failure.strerror}", file=where)) from None
    try:
        try:  # libyaml's parser when PyYAML has it (same documents, ~10× faster) ...
            node = yaml.compose(text, Loader=_FAST_LOADER)
            data = yaml.load(text, Loader=_FAST_LOADER)  # CSafeLoader: a safe loader
        except yaml.YAMLError:  # ... and the Python one for the message of an invalid file
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
    except yaml.YAMLError as failure:
        mark = getattr(failure, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(failure, "problem", None) or "invalid YAML"
        raise error(Problem(f"{line}{problem}; {what} must be valid YAML", file=where)) from None
    return data, node
