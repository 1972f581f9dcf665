"""A file with thousands of problems: the first 200 in full, the rest one line per kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.bom import read_bom
from footprint.errors import BomError, Problem, cap_problems


def test_a_typo_on_1000_rows_gives_200_lines_and_one_summary(tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    rows = [f"p{i},1,kgs,material-steel-primary" for i in range(1000)]
    rows.insert(500, "odd,many,kg,material-steel-primary")  # row 502: another kind
    path.write_text("id,quantity,unit,dataset\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(BomError) as refused:
        read_bom(path)
    lines = [str(p) for p in refused.value.problems]
    assert len(lines) == 202
    assert lines[0] == 'typo.csv, row 2, column unit: "kgs" is not a unit (did you mean "kg"?)'
    assert lines[199] == 'typo.csv, row 201, column unit: "kgs" is not a unit (did you mean "kg"?)'
    # rows 202–1,002 hold 800 more typos (row 502 is the odd one)
    assert lines[200] == (
        'typo.csv, column unit: and 800 more like this: "kgs" is not a unit (did you mean '
        '"kg"?) (rows 202–1,002)'
    )
    assert lines[201] == (
        'typo.csv, column quantity: and 1 more like this: "many" is not a number (row 502)'
    )


def test_the_cap_is_per_file_and_kinds_are_bounded() -> None:
    problems = [
        Problem(f'"v{i}" is odd', file="a.csv", row=i, column=f"c{i % 30}") for i in range(300)
    ]
    problems += [Problem("bad", file="b.csv", row=1)]
    capped = cap_problems(problems, limit=10)
    a = [p for p in capped if p.file == "a.csv"]
    assert a[:10] == problems[:10]
    # 290 more in 30 columns: the 20 largest kinds, then the rest counted
    assert len(a) == 10 + 20 + 1
    assert sum(int(p.message.split()[1]) for p in a[10:30]) + int(a[30].message.split()[1]) == 290
    assert a[30].message.endswith("more problems of other kinds")
    assert [p for p in capped if p.file == "b.csv"] == [problems[-1]]
