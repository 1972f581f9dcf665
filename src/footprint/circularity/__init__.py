"""Circularity: the PEF Circular Footprint Formula, recycled-content shares, the MCI.

Pure formulas (usable without Brightway): ``cff_terms``, ``mci``/``MciFlow``/``utility``,
``recycled_content``/``MaterialMass``.  Per product, with an engine: ``compute_circularity``
(returns a ``CircularityOutcome`` with ``.circularity``, ``.warnings``, the stage and line
changes) and ``apply_cff`` (stage and line figures under the product's end-of-life model).
Defaults per material family: ``load_material_defaults``
(``datasets/circularity/material_defaults.csv``).
"""

from footprint.circularity.cff import CffTerms, cff_terms
from footprint.circularity.defaults import MaterialDefaults, load_material_defaults
from footprint.circularity.eol_model import apply_cff
from footprint.circularity.mci import MciFlow, mci, utility
from footprint.circularity.product import CircularityOutcome, compute_circularity
from footprint.circularity.recycled_content import MaterialMass, recycled_content

__all__ = [
    "CffTerms",
    "CircularityOutcome",
    "MaterialDefaults",
    "MaterialMass",
    "MciFlow",
    "apply_cff",
    "cff_terms",
    "compute_circularity",
    "load_material_defaults",
    "mci",
    "recycled_content",
    "utility",
]
