"""Finding datasets by words: ranked matches in ids, names, material families and notes, and
the nearest families when nothing matches (``footprint datasets search``).

Only reading the catalog; nothing here changes a dataset.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from footprint.catalog import Catalog
from footprint.model import Dataset

_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")

# points per query word, by where it is found (a word found nowhere drops the dataset)
ID_OR_NAME_WORD, MATERIAL, WORD_START, SUBSTRING, NOTES = 4, 3, 3, 2, 1
MATERIAL_PREFIXES = ("material-", "metal-", "battery-")  # the shipped library's material ids


@dataclass(frozen=True)
class Nearest:
    """What to offer when a search finds nothing."""

    families: list[str]
    datasets: list[Dataset]
    note: str | None = None


def search(catalog: Catalog, text: str, material: str | None = None) -> list[Dataset]:
    """Datasets holding every word of ``text`` (id, name, material or notes), best first:
    whole words in the id or name before parts of words, and those before the notes."""
    words = _words(text)
    scored: list[tuple[int, Dataset]] = []
    for dataset in catalog:
        if material is not None and (dataset.material or "") != material.lower():
            continue
        score = _score(dataset, words)
        if score:
            scored.append((score, dataset))
    scored.sort(key=lambda item: (-item[0], not _is_material(item[1]), item[1].id))
    return [dataset for _, dataset in scored]


def _is_material(dataset: Dataset) -> bool:
    """A material row, what a BOM line usually wants (ranked before end-of-life and transport)."""
    return dataset.id.startswith(MATERIAL_PREFIXES)


def _score(dataset: Dataset, words: list[str]) -> int:
    if not words:
        return 1
    own = set(_words(dataset.id)) | set(_words(dataset.name))
    material = set(_words(dataset.material or ""))
    text = f"{dataset.id} {dataset.name}".lower()
    notes = (dataset.notes or "").lower()
    total = 0
    for word in words:
        if word in own:
            total += ID_OR_NAME_WORD
        elif word in material:
            total += MATERIAL
        elif any(w.startswith(word) for w in own):
            total += WORD_START
        elif word in text:
            total += SUBSTRING
        elif word in notes:
            total += NOTES
        else:
            return 0
    return total


def _words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


def nearest(catalog: Catalog, text: str, n: int = 4) -> Nearest:
    """The families nearest to words that matched nothing: a known other word for them
    (search_terms.csv: "stainless" → steel, "cardboard" → paper-board), else the closest
    spelling among the library's family names and id words."""
    wanted = " ".join(_words(text))
    terms = _search_terms()
    families: list[str] = []
    note: str | None = None
    for phrase, (family, why) in terms.items():
        if phrase == wanted or phrase in _words(text):
            families = family.split()
            note = why or None
            break
    if not families:
        vocabulary = sorted(
            {d.material for d in catalog if d.material} | {w for d in catalog for w in _words(d.id)}
        )
        for word in _words(text):
            families += difflib.get_close_matches(word, vocabulary, n=2, cutoff=0.7)
    found: list[Dataset] = []
    for family in dict.fromkeys(families):
        found += [d for d in search(catalog, family) if d not in found]
    found.sort(key=lambda d: not _is_material(d))  # stable: ranked within each kind
    return Nearest(list(dict.fromkeys(families)), found[:n], note)


@cache
def _search_terms() -> dict[str, tuple[str, str]]:
    text = resources.files("footprint").joinpath("search_terms.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {" ".join(_words(row["word"])): (row["family"], row["note"] or "") for row in rows}
