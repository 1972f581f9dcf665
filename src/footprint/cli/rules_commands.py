"""``footprint rules list`` and ``footprint rules show NAME``: the shipped rule sets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from footprint.cli.terminal import echo

if TYPE_CHECKING:  # the rule models are imported by the commands that use them
    from footprint.compliance import RuleSet
    from footprint.compliance.rules import Rule


def register(app: typer.Typer) -> None:
    """Add the ``rules`` command group to ``app``."""
    rules = typer.Typer(
        help="Compliance rule sets: the shipped ones, or your own YAML file.",
        no_args_is_help=True,
    )

    @rules.command("list")
    def list_command() -> None:
        """List the shipped rule sets (use a name with `assess --rules NAME`)."""
        from footprint.compliance import list_rule_sets

        for rule_set in list_rule_sets():
            echo(
                f"{rule_set.name:<32} {len(rule_set.rules):>3} rules  {rule_set.title}",
                one_line=True,
            )

    @rules.command("show")
    def show_command(
        name: Annotated[str, typer.Argument(help="a shipped rule set's name, or a YAML file")],
    ) -> None:
        """Show every rule of a rule set: what it checks, for which products, and its source."""
        from footprint.compliance import load_rule_sets

        for rule_set in load_rule_sets([name]):
            echo(describe(rule_set))

    app.add_typer(rules, name="rules")


def describe(rule_set: RuleSet) -> str:
    lines = [f"{rule_set.name}: {rule_set.title}"]
    if rule_set.description:
        lines.append(rule_set.description.strip())
    for rule in rule_set.rules:
        lines.append("")
        lines.append(f"  {rule.id}  [{rule.kind}]  {rule.title}")
        lines.append(f"    applies to: {_applies(rule)}")
        lines.append(f"    limit: {_limits(rule)}")
        source = rule.source
        cited = ", ".join(x for x in (source.regulation, source.article, source.url) if x)
        lines.append(f"    source: {cited}")
        if rule.verification:
            lines.append(f"    verification: {rule.verification.strip()}")
    return "\n".join(lines)


def _applies(rule: Rule) -> str:
    parts = []
    if rule.applies_to.categories:
        parts.append("categories " + ", ".join(rule.applies_to.categories))
    window = rule.applies_to.placed_on_market
    if window is not None:
        start = window.from_.isoformat() if window.from_ else "any date"
        end = window.until.isoformat() if window.until else "open"
        parts.append(f"placed on the market {start} to {end}")
    return "; ".join(parts) or "every product"


def _limit(rule: Rule, value: float | None) -> str:
    from footprint.compliance.rules import SHARE_KINDS

    if value is None:
        return "none adopted yet (value is declared only)"
    if rule.kind in SHARE_KINDS:
        return f"{value * 100:g} %"
    return f"{value:g}"


def _limits(rule: Rule) -> str:
    if rule.schedule:
        return "; ".join(
            f"{_limit(rule, phase.limit)} from {phase.from_.isoformat()}" for phase in rule.schedule
        )
    return _limit(rule, rule.limit)
