"""The terminal lines of the impact profile: single score and coverage per product."""

from __future__ import annotations

from rich.console import Console

from footprint.model import Assessment


def print_single_scores(console: Console, assessment: Assessment) -> None:
    """One line per product with a profile: its EF 3.1 single score and what it lacks."""
    for product in assessment.products:
        profile = product.impacts
        if profile is None or profile.single_score is None:
            continue
        score = profile.single_score
        covered = sum(1 for i in profile.indicators if i.status != "not covered")
        head = f"{product.id}: {covered} of {len(profile.indicators)} indicators covered"
        if score.value is None:
            console.print(
                f"{head}; EF 3.1 single score not available (no category covered)",
                markup=False,
                highlight=False,
            )
            continue
        text = f"{head}; EF 3.1 single score {score.micropoints:.4g} µPt"
        if score.status == "partial":
            text += f" (partial: {len(score.missing)} of 16 categories missing or partly covered)"
        console.print(text, markup=False, highlight=False)  # product ids are not markup
