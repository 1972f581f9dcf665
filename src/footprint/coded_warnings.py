"""Warnings with a code and subjects, so that the same advice can be counted across products.

The MCI's "no recycling efficiency EC/EF for aluminium, copper, pp" names every family of a
product in one warning; its text differs per product, so a batch of seven products could not
say how often each material lacks the figure.  A coded warning keeps that one text per
product and carries its code and subjects; ``per_subject`` splits it into one warning per
subject with the same wording ("… EC/EF for aluminium …"), which is what the batch summary
groups and counts ("— 7 products").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from footprint.model import Warning_

MCI_NO_RECYCLING_EFFICIENCY = "mci-no-recycling-efficiency"

#: the text of each code; ``{subjects}`` is the subjects joined by ", ", sorted
TEXTS: dict[str, str] = {
    MCI_NO_RECYCLING_EFFICIENCY: "MCI: no recycling efficiency EC/EF for {subjects}; assumed 1 "
    "(no process losses counted); give recycling_efficiency_eol / _feedstock",
}


def coded_warning(code: str, subjects: Iterable[str], **where: Any) -> Warning_:
    """The warning of ``code`` about ``subjects`` (``where``: product, file, sheet, row …)."""
    ordered = sorted(set(subjects))
    return Warning_(
        message=TEXTS[code].format(subjects=", ".join(ordered)),
        code=code,
        subjects=ordered,
        **where,
    )


def per_subject(warning: Warning_) -> list[Warning_]:
    """A coded warning about several subjects as one warning per subject; any other as is."""
    if warning.code not in TEXTS or len(warning.subjects) < 2:
        return [warning]
    return [
        warning.model_copy(
            update={
                "message": TEXTS[warning.code].format(subjects=subject),
                "subjects": [subject],
            }
        )
        for subject in warning.subjects
    ]
