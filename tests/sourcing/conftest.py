"""A cobalt BOM from three countries through two suppliers, one line without a country, and
its supplier register, written as real CSV exports write them."""

from __future__ import annotations

from pathlib import Path

import pytest

# metal-cobalt is Co 100 % (its dataset composition); material-steel-primary has no cobalt
BOM_CSV = """product,id,name,quantity,unit,dataset,country,supplier,smelter_id,certification
cell,c1,Cobalt from Congo,3,kg,metal-cobalt,CD,S1,CID001,RMI RMAP
cell,c2,Cobalt from China,1,kg,metal-cobalt,CN,S2,CID002,
cell,c3,Cobalt from Australia,0.5,kg,metal-cobalt,AU,S1,CID003,RMI RMAP
cell,c4,Cobalt of unknown origin,0.5,kg,metal-cobalt,,S2,,
cell,can,Steel can,2,kg,material-steel-primary,DE,S3,,
"""

REGISTER_CSV = (
    (
        "id,name,country,facility_type,smelter_id,last_audit_date,last_audit_result,"
        "energy_intensity [kWh/kg]\n"
    )
    + """S1,Refinery one,FI,smelter/refiner,CID001,2026-01-15,conformant,11.5
S2,Refinery two,CN,smelter/refiner,CID002,2025-06-30,minor non-conformities,14
S3,Steel mill,DE,other,,,,
"""
)
CERTIFICATIONS_CSV = """supplier,standard,scope,valid_from,valid_until
S1,RMI RMAP,cobalt refining,2024-07-01,2026-06-30
"""
ACTIONS_CSV = """supplier,id,description,opened,closed
S2,CA-1,Records incomplete,2026-01-01,
S2,CA-2,Effluent sampling,2025-10-01,2026-02-01
S2,CA-3,Training,2026-03-01,
"""


@pytest.fixture
def cobalt_bom(tmp_path: Path) -> Path:
    path = tmp_path / "cell.csv"
    path.write_text(BOM_CSV, encoding="utf-8")
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "suppliers.csv"
    path.write_text(REGISTER_CSV, encoding="utf-8")
    (tmp_path / "suppliers.certifications.csv").write_text(CERTIFICATIONS_CSV, encoding="utf-8")
    (tmp_path / "suppliers.corrective_actions.csv").write_text(ACTIONS_CSV, encoding="utf-8")
    return path
