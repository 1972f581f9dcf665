"""The ``footprint`` command line: one typer app; each room registers its own commands.

Exit codes: 0 ok, 1 internal error, 2 invalid input or a usage mistake (nothing written; the
parser's own message is printed), 3 a failing compliance check with ``--fail-on-noncompliance``.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

try:  # typer >= 0.20 vendors click as typer._click; older versions use click itself
    from typer._click import exceptions as parser_errors
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as parser_errors  # type: ignore[no-redef]

from footprint.cli import (
    assess_commands,
    bom_commands,
    compare_commands,
    dataset_commands,
    exchange_options,
    rules_commands,
    serve_command,
)
from footprint.cli.terminal import echo
from footprint.errors import FootprintError

EXIT_OK, EXIT_INTERNAL, EXIT_INVALID_INPUT, EXIT_NONCOMPLIANT = 0, 1, 2, 3

app = typer.Typer(
    name="footprint",
    help="PEF carbon footprint, circularity and compliance checks for bills of materials.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


def _print_version(requested: bool) -> None:
    if requested:
        from footprint import __version__

        typer.echo(f"footprint {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="print the version and exit",
        ),
    ] = False,
) -> None:
    """PEF carbon footprint, circularity and compliance checks for bills of materials."""


for _module in (
    bom_commands,
    dataset_commands,
    assess_commands,
    rules_commands,
    serve_command,
    exchange_options,
):
    _module.register(app)
compare_commands.register(app)


def report_problems(error: FootprintError) -> None:
    for problem in error.problems:
        echo(f"error: {problem}", err=True, one_line=True)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: user errors become one line each, never a traceback."""
    try:
        result = app(args=argv, prog_name="footprint", standalone_mode=False)
    except FootprintError as error:
        report_problems(error)
        sys.exit(EXIT_INVALID_INPUT)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(EXIT_INTERNAL)
    except parser_errors.NoArgsIsHelpError as bare:  # `footprint` or `footprint datasets` alone
        typer.echo(bare.format_message())
        sys.exit(EXIT_OK)
    except parser_errors.ClickException as usage:  # a usage mistake: the parser's own message
        usage.show()
        sys.exit(EXIT_INVALID_INPUT)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as bug:  # a defect in footprint, not the user's input
        if os.environ.get("FOOTPRINT_DEBUG"):
            raise
        echo(
            f"footprint: internal error: {type(bug).__name__}: {bug} "
            "(set FOOTPRINT_DEBUG=1 to see the traceback, and please report it)",
            err=True,
            one_line=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(result if isinstance(result, int) else EXIT_OK)
