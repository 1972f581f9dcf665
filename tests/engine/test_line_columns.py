"""Lines held column by column (``footprint.lines.LineColumns``) and the streamed JSON.

What is checked, and against what:
- the streamed ``Assessment.to_json`` is byte for byte pydantic's ``model_dump_json`` of the
  same assessment whose lines are plain ``LineResult`` objects re-validated by pydantic from
  their dump (every example, with and without every shipped rule set; many products with a
  product longer than a chunk; indented and compact);
- the engine's line values against a hand computation from the linked line and the engine's
  own unit score (amount × reference flow × score, share = figure / product total);
- every field of ``LineResult`` — enumerated from ``model_fields``, so a field added later
  is covered — goes into the columns and comes back equal and of the same type;
- the view behaves like a list (len, index, slices, iteration, ``in``, ``==``, pickle,
  ``model_copy``), the JSON schema of ``lines`` is that of ``list[LineResult]``, and the CFF
  path on columns gives what the list path (the code before columns) gives;
- the sums are the left-to-right additions the code made before (``-0.0`` included).
"""

from __future__ import annotations

import json
import math
import pickle
import random
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import numpy as np
import pytest
from pydantic import BaseModel, Field

from footprint.api import Engine, _sums, read_products
from footprint.circularity import apply_cff, compute_circularity
from footprint.lines import CHUNK, LineColumns
from footprint.model import (
    Assessment,
    BomLine,
    ClimateChange,
    LineResult,
    Product,
    ProductResult,
    SourceRef,
    Stage,
    json_schema,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(
    p for p in (REPO / "examples").iterdir() if p.suffix in (".xlsx", ".csv")
    and not p.name.endswith(".products.csv")
)  # fmt: skip
RULE_SETS = sorted(p.stem for p in (REPO / "templates" / "rules").glob("*.yaml"))


@pytest.fixture(scope="module")
def engine(bw_template: str) -> Engine:
    return Engine()


def _materialised(assessment: Assessment) -> Assessment:
    """The same assessment with each line a plain ``LineResult`` validated by pydantic."""
    products = [
        p.model_copy(update={"lines": [LineResult.model_validate(x.model_dump()) for x in p.lines]})
        for p in assessment.products
    ]
    return assessment.model_copy(update={"products": products})


def _same_json(assessment: Assessment, tmp_path: Path) -> None:
    reference = _materialised(assessment)
    assert all(isinstance(p.lines, list) for p in reference.products)
    for indent in (2, None):
        expected = reference.model_dump_json(indent=indent)
        assert assessment.to_json(indent=indent) == expected
        assert assessment.model_dump_json(indent=indent) == expected  # pydantic on the view
        written = assessment.write_json(tmp_path / f"streamed-{indent}.json", indent=indent)
        assert written.read_text(encoding="utf-8") == expected
    assert reference == assessment and assessment == reference


@pytest.mark.parametrize("rules", [[], RULE_SETS], ids=["no rules", "all rule sets"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_streamed_json_of_every_example_is_pydantics(
    engine: Engine, example: Path, rules: list[str], tmp_path: Path
) -> None:
    products, warnings = read_products(example)
    from footprint.api import load_rules

    assessment = engine.assess_products(products, warnings, rule_sets=load_rules(rules))
    assert any(isinstance(p.lines, LineColumns) for p in assessment.products)
    _same_json(assessment, tmp_path)


def test_engine_line_values_by_hand(engine: Engine) -> None:
    """Cut-off lines: figure = amount × reference flow × the dataset's unit score."""
    products, _ = read_products(REPO / "examples" / "smartphone.xlsx")
    assessment = engine.assess_products(products)
    linked = engine.link(products)
    checked = 0
    for product, item in zip(assessment.products, linked, strict=True):
        if product.eol_model != "cut-off":
            continue
        assert len(product.lines) == len(item.lines)
        for line, link in zip(product.lines, item.lines, strict=True):
            bom = link.line
            assert (line.id, line.path, line.depth, line.row) == (
                bom.id, link.path, link.depth, bom.source.row,
            )  # fmt: skip
            assert (line.quantity, line.unit, line.bom_quantity, line.bom_unit) == (
                link.amount, link.unit, bom.quantity, bom.unit,
            )  # fmt: skip
            assert line.stage is bom.stage and line.mass_kg == link.mass_kg
            if link.dataset is None:
                assert line.climate_change == ClimateChange()
                continue
            score = engine.unit_score(link.dataset)
            figure = link.amount * product.reference_flow
            for part in ("total", "fossil", "biogenic", "luluc", "not_split"):
                assert getattr(line.climate_change, part) == pytest.approx(
                    figure * getattr(score, part), rel=1e-12, abs=1e-300
                )
            assert line.share == pytest.approx(
                line.climate_change.total / product.climate_change.total, rel=1e-12
            )
            checked += 1
    assert checked > 5


def _value(annotation: Any, k: int) -> Any:
    """A value of the annotated type, different for each ``k`` and from the field default."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        choices = [a for a in get_args(annotation) if a is not type(None)]
        return None if k % 3 == 2 else _value(choices[k % len(choices)], k)
    if annotation is float:
        return [1.5e-7, -2.25, 1e16, 0.1 + 0.2, -0.0][k % 5] * (k + 1)
    if annotation is int:
        return 3 + k
    if annotation is str:
        return f'text "{k}" é\n'
    if annotation is bool:
        return k % 2 == 0
    if isinstance(annotation, type) and issubclass(annotation, Stage):
        return list(Stage)[k % len(Stage)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation(
            **{
                n: _value(f.annotation, k + j)
                for j, (n, f) in enumerate(annotation.model_fields.items())
            }
        )
    if origin is dict:
        key, value = get_args(annotation)
        return {f"k{k}": _value(value, k), "other": _value(value, k + 1)}
    if origin is list:
        return [_value(get_args(annotation)[0], k)]
    raise AssertionError(f"extend _value for the new LineResult field type {annotation!r}")


def _lines(count: int) -> list[LineResult]:
    return [
        LineResult.model_validate(
            {
                n: _value(f.annotation, k + j)
                for j, (n, f) in enumerate(LineResult.model_fields.items())
            }
        )
        for k in range(count)
    ]


def test_every_line_field_goes_through_the_columns_and_back() -> None:
    lines = _lines(7)
    columns = LineColumns.from_lines(lines)
    assert list(columns) == lines
    for original, built in zip(lines, columns, strict=True):
        for name in LineResult.model_fields:
            value, back = getattr(original, name), getattr(built, name)
            assert back == value and type(back) is type(value), name
            if isinstance(value, float):
                assert math.copysign(1.0, back) == math.copysign(1.0, value), name
        assert built.model_dump_json() == original.model_dump_json()
    # a column missing (a field the engine forgot) or unknown is refused
    complete = {n: [getattr(x, n) for x in lines] for n in LineResult.model_fields}
    for name in LineResult.model_fields:
        with pytest.raises(ValueError, match=name):
            LineColumns({k: v for k, v in complete.items() if k != name}, len(lines))
    with pytest.raises(ValueError, match="unknown"):
        LineColumns({**complete, "no_such_field": [1] * len(lines)}, len(lines))


def test_a_built_line_is_its_own_object() -> None:
    columns = LineColumns.from_lines(_lines(3))
    line = columns[0]
    line.extra["added"] = 1  # the column keeps its value: each access builds a new object
    assert "added" not in columns[0].extra and columns[0] == columns[0]


def _result(lines: Any) -> ProductResult:
    return ProductResult(
        id="p",
        climate_change=ClimateChange(),
        by_stage={s: ClimateChange() for s in Stage},
        lines=lines,
    )


def test_the_view_behaves_like_a_list() -> None:
    lines = _lines(CHUNK + 5)
    columns = LineColumns.from_lines(lines)
    assert len(columns) == len(lines) and bool(columns)
    assert columns[0] == lines[0] and columns[-1] == lines[-1] and columns[CHUNK] == lines[CHUNK]
    with pytest.raises(IndexError):
        columns[len(lines)]
    assert columns[3:9] == lines[3:9] and columns[::-700] == lines[::-700]
    assert columns[5:2] == [] and isinstance(columns[1:3], list)
    assert list(columns) == lines and columns == lines and lines == columns
    assert columns != lines[:-1] and columns != lines[::-1]
    assert lines[10] in columns and columns.index(lines[CHUNK + 1]) == CHUNK + 1
    assert sorted(columns, key=lambda x: x.id) == sorted(lines, key=lambda x: x.id)
    assert pickle.loads(pickle.dumps(columns)) == lines
    # in a result: equal to the same result with a list, copies and updates work
    a, b = _result(columns), _result(lines)
    assert a == b and b == a and a.model_dump() == b.model_dump()
    assert a.model_copy(deep=True) == b and pickle.loads(pickle.dumps(a)) == b
    shorter = a.model_copy(update={"lines": list(a.lines)[:2]})
    assert shorter.lines == lines[:2]
    assert ProductResult.model_validate(a.model_dump()) == b


def test_the_schema_of_lines_is_a_list_of_lines() -> None:
    class Reference(BaseModel):
        lines: list[LineResult] = Field(default_factory=list)

    schema = json_schema()
    expected = Reference.model_json_schema()["properties"]["lines"]
    assert schema["$defs"]["ProductResult"]["properties"]["lines"] == expected


def _many_products(engine: Engine, count: int, lines: int, seed: int = 3) -> list[Product]:
    """Random products on shipped datasets of mass units (g / kg / t), stages, a few R1."""
    rng = random.Random(seed)
    datasets = sorted(d.id for d in engine.catalog.datasets.values() if d.unit == "kg")
    source = SourceRef(file="many.xlsx", sheet="BOM")
    products = []
    for p in range(count):
        n = lines if p else CHUNK + 17  # one product longer than a chunk
        bom = [
            BomLine(
                id=f"l{k}",
                name=f"part {k}" if k % 4 else None,
                quantity=rng.uniform(0.001, 900.0),
                unit=rng.choice(["g", "kg", "t"]),
                dataset=rng.choice(datasets),
                stage=rng.choice(list(Stage)[:2]),
                circularity={"recycled_content": 0.25} if k % 7 == 0 else {},
                country=rng.choice([None, "DE", "CN"]),
                extra={"cost": float(k)} if k % 5 == 0 else {},
                source=source.model_copy(update={"row": k + 2}),
            )
            for k in range(n)
        ]
        products.append(Product(id=f"p{p}", reference_flow=rng.choice([1.0, 2.5]), lines=bom))
    return products


def test_streamed_json_of_many_products_is_pydantics(engine: Engine, tmp_path: Path) -> None:
    assessment = engine.assess_products(_many_products(engine, 60, 40))
    assert len(assessment.products[0].lines) > CHUNK
    _same_json(assessment, tmp_path)
    document = json.loads(assessment.to_json())
    first = document["products"][0]
    assert math.fsum(x["climate_change"]["total"] for x in first["lines"]) == pytest.approx(
        first["climate_change"]["total"], rel=1e-12
    )


def test_the_cff_on_columns_is_the_cff_on_a_list(engine: Engine) -> None:
    products, _ = read_products(REPO / "examples" / "e-bike-battery.xlsx")
    products = [p.model_copy(update={"eol_model": "cff"}) for p in products]
    linked = engine.link(products)
    for item, result in zip(linked, engine._footprints(linked), strict=True):
        assert isinstance(result.lines, LineColumns)
        outcome = compute_circularity(item.product, result.lines, engine)
        assert outcome.line_changes  # the example has CFF lines
        on_columns = apply_cff(result, outcome)
        on_list = apply_cff(result.model_copy(update={"lines": list(result.lines)}), outcome)
        assert isinstance(on_columns.lines, LineColumns) and isinstance(on_list.lines, list)
        assert on_columns.lines == on_list.lines
        assert on_columns.model_dump_json() == on_list.model_dump_json()
        changed = [x for x in on_columns.lines if x.note is not None]
        assert changed and all(x.climate_change_cut_off is not None for x in changed)
        assert all(
            x.model_fields_set == y.model_fields_set
            for x, y in zip(on_columns.lines, on_list.lines, strict=True)
        )


def test_a_nan_line_is_not_written(tmp_path: Path) -> None:
    lines = _lines(2)
    lines[1] = lines[1].model_copy(update={"share": float("nan")})
    assessment = Assessment(
        tool_version="0",
        created="2026-12-02T00:00:00Z",
        method={},
        products=[_result(LineColumns.from_lines(lines))],
    )
    with pytest.raises(ValueError, match="NaN"):
        assessment.to_json()
    with pytest.raises(ValueError, match="NaN"):
        assessment.write_json(tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def test_floats_are_written_as_pydantic_writes_them() -> None:
    """``float_texts`` (Python's repr, pydantic's exponent form) against pydantic's own
    serialiser: random bit patterns, every magnitude, the boundaries where repr and pydantic
    switch to exponents, -0.0, subnormals; a column of one value, repeated values (the
    distinct-value path) and a column equal to one already formatted."""
    from pydantic import TypeAdapter

    from footprint.json_writer import float_texts

    rng = np.random.default_rng(11)
    patterns = rng.integers(-(2**63), 2**63 - 1, 50_000, dtype=np.int64).view(np.float64)
    magnitudes = rng.uniform(-1, 1, 50_000) * 10.0 ** rng.integers(-12, 22, 50_000)
    edges = np.array([1e-5, 1.5e-5, 9.99e-5, 9.999999999999999e-05, 1e-4, 1e-3, 1e-6, 1e15,
                      9999999999999998.0, 1e16, 1.5e16, -0.0, 0.0, 5e-324, -5e-324,
                      2.2250738585072014e-308, 1.7976931348623157e308, 0.1 + 0.2,
                      1 / 3])  # fmt: skip
    pool = np.concatenate([edges, magnitudes[:10]])
    columns = [patterns[np.isfinite(patterns)], magnitudes, edges, rng.choice(pool, 4000),
               np.full(5, -0.0), np.full(3, 1e-5)]  # fmt: skip
    adapter = TypeAdapter(list[float])
    seen: list[Any] = []
    for values in columns:
        expected = adapter.dump_json(values.tolist()).decode()
        for _ in range(2):  # the second time: the texts of the equal column already seen
            texts = float_texts(values, seen)
            texts = [texts] * len(values) if isinstance(texts, str) else texts
            assert "[" + ",".join(texts) + "]" == expected
    assert float_texts(np.array([-0.0, 0.0])) == ["-0.0", "0.0"]


def test_streamed_json_of_lines_of_every_shape_is_pydantics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Products of many sizes (none, one line, more than a chunk) written together and
    alone: every field with escapes and None on some lines (``_lines``), plain texts, a
    column of None, repeated figures, non-empty ``extra``, lines held as a list between."""
    import footprint.json_writer

    monkeypatch.setattr(footprint.json_writer, "WRITTEN", 1500)  # chunks and groups at test size
    rng = random.Random(4)
    pool = [1e-5, 2.5, 1e16, -0.0, 0.1 + 0.2, 7.0]

    def plain(lines: list[LineResult]) -> list[LineResult]:
        return [
            x.model_copy(update={"id": f"l{k}", "path": f"a / l{k}", "unit_score": None,
                                 "quantity": rng.choice(pool), "extra": {} if k % 9 else
                                 {"cost": 1.5, "note": 'a "b"', "n": k, "ok": True}})
            for k, x in enumerate(lines)
        ]  # fmt: skip

    sizes = [1, 7, 0, 300, 1100, 40, 2000, 3, 1497]
    products = []
    for p, size in enumerate(sizes):
        lines = _lines(size) if p % 2 else plain(_lines(size))
        held: Any = list(lines) if p == 5 else LineColumns.from_lines(lines)
        products.append(_result(held).model_copy(update={"id": f"p{p}"}))
    assessment = Assessment(
        tool_version="0", created="2026-12-02T00:00:00Z", method={}, products=products
    )
    batches: list[int] = []
    batch_json = footprint.json_writer._batch_json

    def spy(views: list[LineColumns], *args: Any) -> list[str]:
        batches.append(sum(len(v) for v in views))
        return batch_json(views, *args)

    monkeypatch.setattr(footprint.json_writer, "_batch_json", spy)
    _same_json(assessment, tmp_path)
    assert batches[:2] == [1 + 7 + 0 + 300 + 1100, 3 + 1497]  # alone: 40, the list, 2000


def test_sums_add_left_to_right_as_before() -> None:
    rng = np.random.default_rng(5)
    figures = rng.normal(size=(300, 5)) * 10.0 ** rng.integers(-8, 8, size=(300, 5))
    figures[:3] = -0.0  # 0.0 + (−0.0) is 0.0: the sums start from 0.0, as before
    stages = [list(Stage)[int(k)] for k in rng.integers(0, 3, size=300)]
    total, per_stage = _sums(figures, stages)
    expected_total = [0.0] * 5
    expected: dict[Stage, list[float]] = {}
    for row, stage in zip(figures.tolist(), stages, strict=True):
        sums = expected.setdefault(stage, [0.0] * 5)
        for c in range(5):
            expected_total[c] += row[c]
            sums[c] += row[c]
    assert total == expected_total and per_stage == expected
    only_zero, _ = _sums(np.full((2, 5), -0.0), [Stage.USE, Stage.USE])
    assert all(math.copysign(1.0, v) == 1.0 for v in only_zero)
