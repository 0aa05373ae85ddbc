"""`ogd backup FILE` and `ogd restore FILE`: the embedded default in one archive."""

from __future__ import annotations

from pathlib import Path

import click

from ogd.errors import OgdError


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, file: Path) -> None:
    """Write catalogue, published files and run records to FILE (.tar.gz), consistently."""
    from ogd import backup as backups
    from ogd.cli import _fail, _settings

    try:
        summary = backups.backup(_settings(ctx), file)
    except OgdError as exc:
        _fail(exc)
        return
    click.echo(
        f"backup {summary.archive}: {summary.datasets} datasets, {summary.files} files, "
        f"{summary.bytes:,} bytes, schema {summary.revision}"
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, file: Path) -> None:
    """Restore an archive of `ogd backup` into an empty instance (then upgrade its schema)."""
    from ogd import backup as backups
    from ogd.cli import _fail, _settings
    from ogd.instance import open_instance

    settings = _settings(ctx)
    try:
        summary = backups.restore(settings, file)
        open_instance(settings, sync=False).engine.dispose()  # upgrades an older schema
    except OgdError as exc:
        _fail(exc)
        return
    click.echo(
        f"restored {summary.archive}: {summary.datasets} datasets, {summary.files} files, "
        f"{summary.bytes:,} bytes (schema {summary.revision} when saved)"
    )
