"""The newcomer's path: the README's test command is exactly what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```(?:bash|sh)\n(python3 -m venv [^\n]+)\n```", text)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2, commands
    main_job, test_suite = commands
    assert "footprint assess" in main_job and "--xlsx" in main_job and "--html" in main_job
    assert "pytest" in test_suite and "ruff" in test_suite and "mypy src" in test_suite


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    marker = next(i for i, line in enumerate(ci) if "the README's test command" in line)
    assert ci[marker + 1] == _readme_commands()[1]


def test_readme_main_job_uses_bundled_files() -> None:
    main_job = _readme_commands()[0]
    for token in main_job.split():
        if token.startswith("examples/"):
            assert (REPO / token).is_file(), token
