"""Reading rule sets: shipped ones by name, users' YAML files by path.

Every problem of a file is reported together, each naming the file, the rule (its id, or
its position when the id is missing), the field and the YAML line, and what would be valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from footprint.compliance.rules import (
    RULE_KINDS,
    SHARE_KINDS,
    Rule,
    RuleSet,
)
from footprint.errors import Problem, ProblemCollector, RuleError
from footprint.resources import rules_dir
from footprint.yaml_files import read_yaml

_RULE = TypeAdapter(Rule)
_SET_FIELDS = ("name", "title", "description", "categories", "rules")
_MAX_FILE_BYTES = 2_000_000  # a rule file is hand-written text; anything larger is a mistake


def shipped_rule_files() -> list[Path]:
    folder = rules_dir()
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def list_rule_sets() -> list[RuleSet]:
    """Every rule set shipped with footprint, sorted by name."""
    return sorted((load_rule_file(p) for p in shipped_rule_files()), key=lambda s: s.name)


def load_rule_sets(names_or_paths: Sequence[str | Path]) -> list[RuleSet]:
    """Load shipped rule sets by name (``eu-battery-regulation``) or YAML files by path.

    Raises ``RuleError`` with every problem found, across all the files asked for.
    """
    problems: list[Problem] = []
    sets: list[RuleSet] = []
    for item in names_or_paths:
        try:
            sets.append(load_rule_file(_resolve(item)))
        except RuleError as error:
            problems.extend(error.problems)
    if problems:
        raise RuleError(problems)
    return sets


def _resolve(item: str | Path) -> Path:
    text = str(item)
    shipped = {p.stem: p for p in shipped_rule_files()}
    if isinstance(item, str) and text in shipped:
        return shipped[text]
    path = Path(item)
    if path.is_file():
        return path
    raise RuleError(
        Problem(
            f"no shipped rule set is named {text!r} and no file exists at that path; "
            f"shipped rule sets: {', '.join(sorted(shipped))}",
            file=text if path.suffix else None,
        )
    )


def load_rule_file(path: Path) -> RuleSet:
    """Read and validate one YAML rule file."""
    path = Path(path)
    data, node = read_yaml(path, what="a rule set", max_bytes=_MAX_FILE_BYTES, error=RuleError)
    return _validate(data, node, path)


def _validate(data: Any, node: yaml.Node | None, path: Path) -> RuleSet:
    where = str(path)
    found = ProblemCollector()
    if not isinstance(data, dict):
        found.add(
            "a rule set is a YAML mapping with keys name, title, description and rules",
            file=where,
        )
        found.raise_if_any(RuleError)
    assert isinstance(data, dict)
    for key in data:
        if key not in _SET_FIELDS:
            found.add(
                f"line {_line(node, (key,))}: unknown top-level key {key!r}; "
                f"valid keys: {', '.join(_SET_FIELDS)}",
                file=where,
                extra={"field": str(key)},
            )
    for key in ("title", "rules"):
        if key not in data:
            found.add(f"the rule set has no {key!r}; it is required", file=where)
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        found.add(
            f"line {_line(node, ('rules',))}: 'rules' must be a list of rules",
            file=where,
        )
        raw_rules = []
    rules: list[Any] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rules):
        label = _rule_label(raw, index)
        rule_line = _line(node, ("rules", index))
        try:
            rule = _RULE.validate_python(raw)
        except ValidationError as error:
            for err in error.errors():
                field = _field_path(err["loc"], raw)
                line = _line(node, ("rules", index, *_yaml_path(err["loc"], raw))) or rule_line
                found.add(
                    f"rule {label}, field {field or 'kind'} (line {line}): {_explain(err)}",
                    file=where,
                    extra={"rule": label, "field": field or "kind"},
                )
            continue
        for field, message in _semantic_problems(rule, raw):
            top = field.split(".")[0].split("[")[0]
            line = _line(node, ("rules", index, top)) or rule_line
            found.add(
                f"rule {label}, field {field} (line {line}): {message}",
                file=where,
                extra={"rule": label, "field": field},
            )
        if rule.id in seen:
            found.add(
                f"rule {label}, field id (line {rule_line}): the id is also used by rule "
                f"#{seen[rule.id] + 1}; ids must be unique within a rule set",
                file=where,
                extra={"rule": label, "field": "id"},
            )
        seen.setdefault(rule.id, index)
        rules.append(rule)
    categories = data.get("categories") or []
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        found.add(
            f"line {_line(node, ('categories',))}: 'categories' must be a list of category "
            "words, e.g. [portable-battery]",
            file=where,
            extra={"field": "categories"},
        )
    found.raise_if_any(RuleError)
    name = data.get("name") or path.stem
    return RuleSet(
        categories=categories,
        name=str(name),
        title=str(data["title"]),
        description=data.get("description"),
        file=where,
        rules=rules,
    )


def _semantic_problems(rule: Any, raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Checks across fields that the field types alone cannot express."""
    out: list[tuple[str, str]] = []
    given = set(raw)
    if rule.kind != "required_fields":
        if "limit" in given and "schedule" in given:
            out.append(("schedule", "give either 'limit' or 'schedule', not both"))
        elif "limit" not in given and "schedule" not in given:
            out.append(
                (
                    "limit",
                    "missing; give 'limit' (a number, or null when the law has set no "
                    "threshold yet) or a 'schedule' of dated limits",
                )
            )
    limits = [("limit", rule.limit)] + [
        (f"schedule[{i}].limit", phase.limit) for i, phase in enumerate(rule.schedule)
    ]
    for field, value in limits:
        if value is None:
            continue
        if rule.kind in SHARE_KINDS and not 0 <= value <= 1:
            out.append((field, f"{value} is not a share; write a fraction from 0 to 1"))
        elif rule.kind == "max_dqr" and not 1 <= value <= 5:
            out.append((field, f"{value} is not a data-quality rating; valid: 1 to 5"))
        elif value < 0:
            out.append((field, f"{value} is negative; a limit must be 0 or more"))
    dates = [phase.from_ for phase in rule.schedule]
    if dates != sorted(set(dates)):
        out.append(("schedule", "the 'from' dates must be distinct and in increasing order"))
    window = rule.applies_to.placed_on_market
    if window and window.from_ and window.until and window.from_ > window.until:
        out.append(("applies_to.placed_on_market", "'from' is after 'until'"))
    if rule.kind in ("min_recycled_content", "max_single_country_share") and bool(
        rule.element
    ) == bool(rule.materials):
        out.append(("element", "give either 'element' (e.g. Co) or 'materials', not both"))
    if rule.kind == "required_fields" and not (rule.elements or rule.materials):
        out.append(("elements", "select lines with 'elements' and/or 'materials'"))
    return out


def _rule_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return f"{raw['id']!r} (#{index + 1})"
    return f"#{index + 1}"


def _strip_tag(loc: tuple[Any, ...], raw: Any) -> tuple[Any, ...]:
    """pydantic puts the union tag first in a location; users never wrote it there."""
    if loc and isinstance(raw, dict) and loc[0] == raw.get("kind") and loc[0] in RULE_KINDS:
        return loc[1:]
    return loc


def _yaml_path(loc: tuple[Any, ...], raw: Any) -> tuple[Any, ...]:
    return tuple("from" if part == "from_" else part for part in _strip_tag(loc, raw))


def _field_path(loc: tuple[Any, ...], raw: Any) -> str:
    text = ""
    for part in _yaml_path(loc, raw):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _explain(err: Any) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return "missing; it is required for this kind of rule"
    if kind == "extra_forbidden":
        return "unknown field; see templates/rules/README.md for the fields of each kind"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        shown = f"{value.get('kind')!r} is not a rule kind; " if isinstance(value, dict) else ""
        return f"{shown}valid kinds: {', '.join(RULE_KINDS)}"
    if kind == "literal_error":
        return f"{value!r} is not valid; {err['msg'].replace('Input should be', 'valid:')}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"{value!r} is not a date; write YYYY-MM-DD"
    if kind in ("float_parsing", "float_type"):
        return f"{value!r} is not a number"
    return f"{err['msg']} (got {value!r})"


def _line(node: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """The 1-based YAML line of the deepest node found along ``path``."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    child = value
                    line = key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            return line
        node = child
    return line
