"""Every dataset a figure rests on is named with its source, including upstream inputs."""

from __future__ import annotations

from footprint.api import assess
from footprint.model import BomLine, Product, Stage


def test_upstream_inputs_are_listed_with_their_source_and_user() -> None:
    product = Product(
        id="crate",
        lines=[
            BomLine(id="body", quantity=1.2, unit="kg", dataset="material-pp-primary"),
            BomLine(
                id="truck",
                quantity=0.05,
                unit="t*km",
                dataset="freight-lorry-average",
                stage=Stage.DISTRIBUTION,
            ),
        ],
    )
    infos = {info.id: info for info in assess([product]).datasets}
    assert set(infos) == {
        "material-pp-primary",
        "freight-lorry-average",
        "wtt-freight-lorry-average",  # the lorry's well-to-tank upstream, an `inputs` entry
    }
    assert infos["freight-lorry-average"].input_of == []
    assert infos["wtt-freight-lorry-average"].input_of == ["freight-lorry-average"]
    assert "DESNZ" in (infos["wtt-freight-lorry-average"].source or "")
    assert infos["wtt-freight-lorry-average"].license
