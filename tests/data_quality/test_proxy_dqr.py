"""A proxy gets the PEF TeR of a technology different from the dataset's (5), and a product
whose largest line is a proxy is rated accordingly (hand computations written here)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from footprint.catalog import load_catalog
from footprint.data_quality import ScoredContribution, product_data_quality
from footprint.errors import DatasetError
from footprint.model import DataQuality

ROOT = Path(__file__).resolve().parents[2]
WHOLE_PRODUCTS = (  # DESNZ material-use rows of whole products per kg: proxies by nature
    "material-battery-li-ion",
    "material-battery-alkaline",
    "material-battery-nimh",
    "material-electrical-it",
    "material-electrical-small",
    "material-electrical-large",
    "material-electrical-fridges",
)


def test_the_rule_file_states_each_score_with_its_source_and_tag() -> None:
    with (ROOT / "datasets" / "pef" / "dqr_technology.csv").open(encoding="utf-8") as f:
        rows = {r["kind"]: r for r in csv.DictReader(f)}
    assert {kind: int(r["ter"]) for kind, r in rows.items()} == {
        "specific": 2, "average": 3, "similar": 4, "proxy": 5,
    }  # fmt: skip
    for row in rows.values():
        assert "2021/2279" in row["source"] and row["tag"] in ("V", "S", "M")


def test_shipped_whole_product_proxies_carry_ter_5() -> None:
    catalog = load_catalog()
    for dataset_id in WHOLE_PRODUCTS:
        quality = catalog.get(dataset_id).dqr
        # TeR 5 (proxy), GeR 3 (UK factor used anywhere), TiR 1 (2025), P 2 (government)
        assert (quality.ter, quality.ger, quality.tir, quality.p) == (5, 3, 1, 2), dataset_id
        assert quality.dqr == (5 + 3 + 1 + 2) / 4
    # a bare IC die is a similar technology with parts left out, not another product: 4
    assert catalog.get("electronics-ic-die-7nm").dqr.ter == 4


def test_a_pack_whose_largest_line_is_a_proxy_is_no_longer_very_good() -> None:
    catalog = load_catalog()
    proxy = catalog.get("material-battery-li-ion").dqr
    grid_de = catalog.get("electricity-grid-DE").dqr
    grid_pl = catalog.get("electricity-grid-PL").dqr
    assert grid_de.dqr == grid_pl.dqr == (2 + 1 + 1 + 2) / 4  # TeR 2, GeR 1, TiR 1, P 2
    # 42 % of the result on the proxy (the largest line), 37 % and 21 % on two grid mixes:
    # the first two make 79 % < 80 %, so all three are the most relevant lines.
    lines = [
        ScoredContribution(4.2, proxy),
        ScoredContribution(3.7, grid_de),
        ScoredContribution(2.1, grid_pl),
    ]
    result = product_data_quality(lines)
    # DQR = 0.42·2.75 + 0.58·1.5 = 2.025 → Good (it was 0.42·2.5 + 0.87 = 1.92, Very good,
    # when a proxy had TeR 4)
    assert result.dqr == pytest.approx(0.42 * 2.75 + 0.58 * 1.5, rel=1e-12)
    assert result.level == "Good"
    assert result.ter == pytest.approx(0.42 * 5 + 0.58 * 2, rel=1e-12)
    old_proxy = DataQuality(ter=4, ger=proxy.ger, tir=proxy.tir, p=proxy.p)
    before = product_data_quality([ScoredContribution(4.2, old_proxy), *lines[1:]])
    assert before.dqr == pytest.approx(1.92, rel=1e-12) and before.level == "Very good"


def test_a_user_file_may_name_the_kind_instead_of_a_ter_score(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,name,unit,climate_change,dqr_ter,dqr_ger,dqr_tir,dqr_p\n"
        "stand-in,Whole device per kg for a part,kg,20,proxy,3,2,3\n"
        "exact,Measured part,kg,5,2,1,1,1\n",
        encoding="utf-8",
    )
    catalog = load_catalog([path], include_shipped=False)
    assert catalog.get("stand-in").dqr.ter == 5 and catalog.get("stand-in").dqr.dqr == 3.25
    assert catalog.get("exact").dqr.ter == 2
    path.write_text("id,name,unit,climate_change,dqr_ter\nx,X,kg,1,stand-in\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_catalog([path], include_shipped=False)
    assert [str(p) for p in caught.value.problems] == [
        "mine.csv, row 2, column dqr_ter: 'stand-in' is not a data-quality score 1–5 or one "
        "of specific, average, similar, proxy"
    ]
