"""The README's Python example prints what a run gives: the figures it quotes are read from
the README itself and compared with an assessment of the same example file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _quoted_by_element() -> tuple[str, dict[str, float]]:
    """The example file and the by-element shares the README's comment quotes."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r'footprint\.assess\("([^"]+)"', readme)
    comment = re.search(r"recycled_content\.by_element\)\s*# (\{.*?)…\}", readme)
    assert example and comment, "the README's Python example changed shape: update this test"
    quoted = ast.literal_eval(comment.group(1).rstrip(", ") + "}")
    return example.group(1), quoted


def test_the_readme_example_quotes_a_real_run() -> None:
    import footprint

    path, quoted = _quoted_by_element()
    assert quoted  # the README quotes at least one element
    assessment = footprint.assess(REPO / path, rules=["eu-battery-regulation"])
    by_element = assessment.products[0].circularity.recycled_content.by_element
    for element, share in quoted.items():
        # quoted to two decimals, as the README prints them
        assert by_element[element] == pytest.approx(share, abs=0.005), element
