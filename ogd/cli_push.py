"""`ogd push`: mirror datasets of this instance to an external CKAN (ckanapi)."""

from __future__ import annotations

import os

import click

from ogd.errors import ConfigError, OgdError

ACTIONS = ("created", "updated", "unchanged", "failed")


def _fail(exc: OgdError) -> None:
    from ogd.cli import _fail as fail

    fail(exc)


def _table(rows: list[tuple[str, str, str]]) -> str:
    header = ("dataset", "action", "uploaded")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}" for a, b, c in [header, *rows]]
    return "\n".join(line.rstrip() for line in lines)


@click.command()
@click.argument("datasets", nargs=-1)
@click.option(
    "--to",
    "url",
    required=True,
    metavar="URL",
    help="Base URL of the target CKAN (https://ckan.example.org).",
)
@click.option(
    "--token-env",
    required=True,
    metavar="NAME",
    help="Environment variable that holds the API token for the target.",
)
@click.pass_context
def push(ctx: click.Context, datasets: tuple[str, ...], url: str, token_env: str) -> None:
    """Mirror DATASETS (all public ones when none is named) to the CKAN at URL."""
    from ogd.cli import _print_error, _settings
    from ogd.instance import open_instance
    from ogd.publish.ckan_push import push_datasets

    token = os.environ.get(token_env, "").strip()
    if not token:
        _fail(
            ConfigError(
                f"the environment variable {token_env} is not set or empty",
                hint=f"export {token_env}=<API token of your user on {url}>",
            )
        )
    settings = _settings(ctx)
    results = []
    try:
        instance = open_instance(settings)
        for result in push_datasets(
            instance, url, token, list(datasets), token_label=f"${token_env}"
        ):
            results.append(result)
    except OgdError as exc:
        if results:
            click.echo(_table([(r.dataset, r.action, str(r.uploaded)) for r in results]))
        _fail(exc)
    if results:
        click.echo(_table([(r.dataset, r.action, str(r.uploaded)) for r in results]))
    else:
        click.echo("no dataset to push")
    counts = {a: sum(r.action == a for r in results) for a in ACTIONS}
    click.echo(", ".join(f"{n} {a}" for a, n in counts.items() if n) or "nothing pushed")
    failed = [r for r in results if r.error is not None]
    for result in failed:
        assert result.error is not None
        _print_error(result.error)
    if failed:
        ctx.exit(1)
