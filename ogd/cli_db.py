"""`ogd db current|upgrade|history`: the catalogue's schema revision (Alembic).

Opening an instance (`ogd run`, `ogd serve` …) upgrades it too; `ogd db upgrade` is the
explicit step of a deployment, run once before the new workers start.
"""

from __future__ import annotations

import click

from ogd.errors import OgdError


def _revision(ctx: click.Context) -> str | None:
    """The database's revision (an unreachable server ends the command with its error)."""
    from ogd.catalog import migrate
    from ogd.cli import _fail, _settings

    try:
        with migrate.database(_settings(ctx).resolved_database_url) as engine:
            return migrate.current(engine)
    except OgdError as exc:
        _fail(exc)
        raise


@click.group()
def db() -> None:
    """The catalogue database: its schema revision and upgrades (Alembic)."""


@db.command("current")
@click.pass_context
def current(ctx: click.Context) -> None:
    """Print the database's revision and whether it is the code's newest."""
    from ogd.catalog import migrate

    found = _revision(ctx)
    head = migrate.head()
    if found == head:
        click.echo(f"{found} (head)")
    elif found is None:
        click.echo(f"none: no catalogue yet (head is {head}); run `ogd db upgrade`")
    else:
        click.echo(f"{found}, behind head {head}: run `ogd db upgrade`")


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.pass_context
def upgrade(ctx: click.Context, revision: str) -> None:
    """Bring the database to the code's schema (creating it when empty)."""
    from ogd.catalog import migrate, search
    from ogd.cli import _fail, _settings

    try:
        with migrate.database(_settings(ctx).resolved_database_url) as engine:
            before, after = migrate.upgrade(engine, revision)
            with engine.begin() as connection:
                search.create_index(connection)
    except OgdError as exc:
        _fail(exc)
    if before == after:
        click.echo(f"already at {after}")
    else:
        click.echo(f"upgraded {before or 'empty'} -> {after}")


@db.command("history")
@click.pass_context
def history(ctx: click.Context) -> None:
    """List the revisions, oldest first, marking the database's with *."""
    from ogd.catalog import migrate

    found = _revision(ctx)
    for revision, message in migrate.history():
        click.echo(f"{'*' if revision == found else ' '} {revision}  {message}")
