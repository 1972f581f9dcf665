"""Compliance: rule sets (YAML) and the checks of one product against them.

    load_rule_sets(["eu-battery-regulation", "my-rules.yaml"]) → [RuleSet, …]
    evaluate_checks(result, product, rule_sets, as_of=…, catalog=…) → [Check, …]

The format of a rule file is documented in ``templates/rules/README.md``.
"""

from __future__ import annotations

from footprint.compliance.evaluate import evaluate_checks, reference_date
from footprint.compliance.loader import list_rule_sets, load_rule_file, load_rule_sets
from footprint.compliance.rules import RULE_KINDS, Rule, RuleSet

__all__ = [
    "RULE_KINDS",
    "Rule",
    "RuleSet",
    "evaluate_checks",
    "list_rule_sets",
    "load_rule_file",
    "load_rule_sets",
    "reference_date",
]
