"""Product categories: the words the rule sets know, and the BOM products that use another.

A category selects rules.  A mistyped one ("LMT battery" for ``lmt-battery``) would switch
every rule off without a word, so a category must be one the rule sets know: the categories
named by the shipped rule sets (their rules' ``applies_to`` and their ``categories`` list of
categories known without a rule of their own) plus those of the user's rule files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from functools import lru_cache

from footprint.compliance.rules import RuleSet
from footprint.errors import Problem
from footprint.model import Product


def rule_set_categories(rule_set: RuleSet) -> set[str]:
    """The categories one rule set names."""
    named = {c for rule in rule_set.rules for c in rule.applies_to.categories}
    return named | set(rule_set.categories)


@lru_cache(maxsize=1)
def _shipped_categories() -> frozenset[str]:
    from footprint.compliance.loader import list_rule_sets

    return frozenset(c for rule_set in list_rule_sets() for c in rule_set_categories(rule_set))


def known_categories(rule_sets: Iterable[RuleSet] = ()) -> set[str]:
    """The shipped rule sets' categories and those of ``rule_sets`` (e.g. the user's files)."""
    known = set(_shipped_categories())
    for rule_set in rule_sets:
        known |= rule_set_categories(rule_set)
    return known


def closest_categories(category: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` known categories that look like ``category`` (case, spaces, hyphens aside)."""
    by_key = {_key(k): k for k in known}
    matches = difflib.get_close_matches(_key(category), list(by_key), n=n, cutoff=0.5)
    return [by_key[m] for m in matches]


def category_problems(
    products: Sequence[Product], rule_sets: Iterable[RuleSet] = ()
) -> list[Problem]:
    """One problem per product whose category no rule set knows, located at its category cell."""
    known = known_categories(rule_sets)
    problems = []
    for product in products:
        category = product.category
        if category is None or category in known:
            continue
        close = closest_categories(category, known)
        hint = (
            f"did you mean {' or '.join(repr(c) for c in close)}?"
            if close
            else "known categories: " + ", ".join(sorted(known))
        )
        problems.append(
            product.source.problem(
                f"product {product.id}: category {category!r} is not a category of any rule set "
                f"({hint}); a category no rule set knows would switch every check off. Write "
                "a known category, or list yours under 'categories:' in your own rule file "
                "and pass it with --rules",
                column="category",
            )
        )
    return problems


def _key(text: str) -> str:
    return "-".join(text.lower().replace("_", " ").replace("-", " ").split())
