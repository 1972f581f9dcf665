"""The exchange outputs of ``footprint assess``: ``--pact`` (PACT v3 ProductFootprints) and
``--battery-passport`` (BatteryPass carbon-footprint and recycled-content blocks), and the
``footprint pact`` commands (``hash-secret`` for the PACT host's client file).

The documents are built, and every missing piece of company or product data reported, before
any output of the command is written (they join the command's output transaction).
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from footprint.errors import FootprintError, Problem

PactOption = Annotated[
    Path | None,
    typer.Option(
        "--pact", help="write PACT v3 ProductFootprints (JSON) here; see docs/exchange.md"
    ),
]
PactStoreOption = Annotated[
    Path | None,
    typer.Option(
        "--pact-store",
        help="SQLite file keeping exported footprints: ids stay immutable, older ones are "
        "deprecated and named in precedingPfIds; `footprint serve --pact-config` serves it",
    ),
]
CompanyNameOption = Annotated[
    str | None, typer.Option("--pact-company-name", help="PACT companyName (the data owner)")
]
CompanyIdOption = Annotated[
    list[str] | None,
    typer.Option("--pact-company-id", help="PACT companyIds URN (urn:company:…); repeatable"),
]
ProductPrefixOption = Annotated[
    str | None,
    typer.Option(
        "--pact-product-id-prefix",
        help="make productIds from footprint's product ids, e.g. urn:pact:example.com:product-id:",
    ),
]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--pact-reference-period",
        help="PACT reference period START:END (dates, END exclusive), e.g. 2025-01-01:2026-01-01",
    ),
]
StandardOption = Annotated[
    list[str] | None,
    typer.Option(
        "--pact-standard", help="crossSectoralStandards value (default PACT-3.0); repeatable"
    ),
]
PassportOption = Annotated[
    Path | None,
    typer.Option("--battery-passport", help="write battery-passport blocks (JSON) here"),
]
StudyOption = Annotated[
    str | None,
    typer.Option("--battery-study", help="link to the public carbon-footprint study (passport)"),
]


@dataclass(frozen=True)
class ExchangeRequest:
    """What the exchange options of one ``assess`` call ask for."""

    pact: Path | None = None
    pact_store: Path | None = None
    company_name: str | None = None
    company_ids: tuple[str, ...] = ()
    product_id_prefix: str | None = None
    reference_period: str | None = None
    standards: tuple[str, ...] = ()
    battery_passport: Path | None = None
    battery_study: str | None = None

    def outputs(self) -> dict[str, Path | None]:
        return {"--pact": self.pact, "--battery-passport": self.battery_passport}

    def inputs(self) -> list[Path]:
        """A store is read and written: it must never be one of the outputs."""
        return [self.pact_store] if self.pact_store is not None and self.pact_store.exists() else []

    def check(self) -> None:
        """Option problems found before anything is computed."""
        problems = []
        if self.pact is None and any(
            (
                self.pact_store,
                self.company_name,
                self.company_ids,
                self.product_id_prefix,
                self.reference_period,
                self.standards,
            )
        ):
            problems.append(Problem("the --pact-… options need --pact OUT.json", column="pact"))
        if self.battery_study and self.battery_passport is None:
            problems.append(
                Problem("--battery-study needs --battery-passport OUT.json", column="battery-study")
            )
        self._period(problems)
        if problems:
            raise FootprintError(problems)

    def _period(self, problems: list[Problem]) -> tuple[date | None, date | None]:
        if not self.reference_period:
            return None, None
        start, _, end = self.reference_period.partition(":")
        try:
            return date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
        except ValueError:
            problems.append(
                Problem(
                    f"--pact-reference-period {self.reference_period!r} is not START:END "
                    "(e.g. 2025-01-01:2026-01-01)",
                    column="pact-reference-period",
                )
            )
            return None, None

    def documents(self, assessment: Any) -> dict[str, str]:
        """Output name → text, for each exchange output asked for.  Every problem of every
        output is raised together, before the store (if any) is written."""
        if self.pact is None and self.battery_passport is None:
            return {}  # nothing asked for: the exchange modules are not imported
        from footprint.exchange.battery_passport import PassportOptions, battery_passports
        from footprint.exchange.pact import (
            DEFAULT_STANDARDS,
            PactOptions,
            product_footprints,
            to_json,
        )
        from footprint.exchange.pact_store import PactStore

        texts: dict[str, str] = {}
        problems: list[Problem] = []
        documents: list[dict[str, Any]] = []
        if self.pact is not None:
            start, end = self._period(problems)
            options = PactOptions(
                company_name=self.company_name,
                company_ids=self.company_ids,
                product_id_prefix=self.product_id_prefix,
                reference_period_start=start,
                reference_period_end=end,
                cross_sectoral_standards=self.standards or DEFAULT_STANDARDS,
            )
            try:
                documents = product_footprints(assessment, options)
            except FootprintError as error:
                problems.extend(error.problems)
        if self.battery_passport is not None:
            try:
                blocks = battery_passports(assessment, PassportOptions(self.battery_study))
            except FootprintError as error:
                problems.extend(error.problems)
            else:
                texts["--battery-passport"] = json.dumps(blocks, indent=2, allow_nan=False) + "\n"
        if problems:
            raise FootprintError(problems)
        if self.pact is not None:
            if self.pact_store is not None:  # one transaction: all footprints or none
                documents = PactStore(self.pact_store).publish_all(documents)
            texts["--pact"] = to_json(documents)
        return texts


def text_writer(text: str) -> Callable[[Path], object]:
    """A writer of ``text`` for the command's output transaction."""
    return lambda path: path.write_text(text, encoding="utf-8")


def hash_secret_command(
    stdin: Annotated[
        bool, typer.Option("--stdin", help="read the secret from standard input, not a prompt")
    ] = False,
) -> None:
    """Print the hash of a PACT client secret, for the clients file of `serve --pact-config`."""
    from footprint.web.pact_host import hash_secret

    secret = sys.stdin.readline().rstrip("\n") if stdin else getpass.getpass("client secret: ")
    if len(secret) < 16:
        raise FootprintError(Problem("a client secret needs at least 16 characters"))
    typer.echo(hash_secret(secret))


def register(app: typer.Typer) -> None:
    """Add ``footprint pact …`` to ``app``."""
    pact = typer.Typer(help="PACT data exchange: helpers for the PACT host", no_args_is_help=True)
    pact.command("hash-secret")(hash_secret_command)
    app.add_typer(pact, name="pact")
