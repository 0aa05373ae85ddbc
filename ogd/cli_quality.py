"""Metadata quality on the command line: after `ogd run` publishes, and in `ogd check`.

Scores are computed through the portal's app (its own URLs checked against itself) and
stored, so the portal and `package_show` show them at once. Below "good" is a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ogd.config import Settings
    from ogd.instance import Instance

RATINGS = {"excellent": 4, "good": 3, "sufficient": 2, "bad": 1}


def score(settings: Settings, instance: Instance, names: Sequence[str] | None) -> dict[str, Any]:
    """Compute and store the reports of `names` (None: every published dataset)."""
    from ogd.catalog import authz
    from ogd.catalog.actions import Context
    from ogd.web.app import create_app
    from ogd.web.quality import refresh

    app = create_app(settings, instance)
    with app.app_context(), instance.sessions() as session:
        return refresh(app, Context(session, settings, authz.SITE_USER, instance.storage), names)


def echo(reports: dict[str, Any], quiet: bool) -> int:
    """Print one line per dataset (warnings only when quiet); the number of warnings."""
    warnings = 0
    for name, report in sorted(reports.items()):
        line = (
            f"quality {name}: {report['total']}/{report['max']} {report['rating']}"
            f" (opendata.swiss terms counted: {report.get('swiss_total', report['total'])})"
        )
        if RATINGS.get(str(report["rating"]), 0) < RATINGS["good"]:
            warnings += 1
            missing = [
                f"{i['id']} {i['name']} (+{i['max'] - i['points']:g}): {i['how'].get('en', '')}"
                for i in report["indicators"]
                if i["points"] < i["max"]
            ]
            click.echo(f"warning: {line} — below good", err=True)
            for item in missing:
                click.echo(f"  hint: {item}", err=True)
        elif not quiet:
            click.echo(line)
    return warnings


@click.command("quality")
@click.argument("names", nargs=-1)
@click.option("-q", "--quiet", is_flag=True, help="Print warnings only.")
@click.pass_context
def quality(ctx: click.Context, names: tuple[str, ...], quiet: bool) -> None:
    """Score the metadata quality (MQA, 405 points) of datasets (all, or NAMES) and store
    it; warns below "good"."""
    from ogd.cli import _fail, _settings
    from ogd.errors import OgdError
    from ogd.instance import open_instance

    settings = _settings(ctx)
    try:
        instance = open_instance(settings)
        reports = score(settings, instance, list(names) or None)
    except OgdError as exc:
        _fail(exc)
        return
    echo(reports, quiet)


def score_in_child(config: str | None, names: Sequence[str], quiet: bool) -> None:
    """Run `ogd quality NAMES` in a child process, so the scorer's memory (the portal app,
    the SHACL shapes) never adds to the peak of the run that published."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "ogd"]
    if config:
        command += ["--config", config]
    command += ["quality", *(["--quiet"] if quiet else []), *names]
    subprocess.run(command, check=False)
