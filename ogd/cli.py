"""The `ogd` command; the only module that reads os.environ, prints or picks exit codes."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from ogd.config import Settings, load_settings
from ogd.errors import OgdError, SpecErrors


def _fail(exc: OgdError) -> None:
    errors = exc.errors if isinstance(exc, SpecErrors) else [exc]
    for error in errors:
        click.echo(
            f"error: {error.where + ': ' if error.where else ''}{error.message}",
            err=True,
        )
        if error.hint:
            click.echo(f"  hint: {error.hint}", err=True)
    sys.exit(1)


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    config = ctx.obj.get("config")
    try:
        return load_settings(Path(config) if config else None, os.environ, **overrides)
    except OgdError as exc:
        _fail(exc)
        raise  # unreachable


@click.group()
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    help="Settings file (default ./ogd.toml).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: bool) -> None:
    """Open Data Luzern: describe, run, check and serve open datasets."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("werkzeug").setLevel(logging.INFO if verbose else logging.WARNING)
    ctx.obj = {"config": config or os.environ.get("OGD_CONFIG")}


@cli.command()
@click.option("--if-missing", is_flag=True, help="Keep sources that already exist.")
@click.pass_context
def demo(ctx: click.Context, if_missing: bool) -> None:
    """Generate the synthetic demo source extracts (seeded)."""
    from ogd.demo import generate_demo_sources

    settings = _settings(ctx)
    target = settings.path(settings.sources_dir)
    if if_missing and (target / "einwohnerregister.csv").exists():
        click.echo(f"demo sources present in {target}")
        return
    for path in generate_demo_sources(target, settings.demo_seed):
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Publish even when source and pipeline are unchanged.")
@click.option("--dry-run", is_flag=True, help="Do everything but publish.")
@click.pass_context
def run(ctx: click.Context, names: tuple[str, ...], force: bool, dry_run: bool) -> None:
    """Run pipelines (all, or the NAMES given)."""
    from ogd.instance import open_instance
    from ogd.pipeline.check import pipeline_files
    from ogd.pipeline.runner import run_pipeline
    from ogd.pipeline.spec import load_pipeline

    settings = _settings(ctx)
    try:
        instance = open_instance(settings)
        specs = [load_pipeline(p, settings.root) for p in pipeline_files(settings, list(names))]
    except OgdError as exc:
        _fail(exc)
    failed = False
    for spec in specs:
        result = run_pipeline(
            spec,
            settings,
            instance.sessions,
            instance.storage,
            force=force,
            dry_run=dry_run,
            user=os.environ.get("USER", "cli"),
        )
        rows = (
            f"rows in {result.rows_in:>9,}  rows out {result.rows_out:>7,}"
            if result.outcome != "unchanged"
            else "source and pipeline unchanged, nothing new to publish"
        )
        click.echo(f"{spec.slug:<32} {result.outcome:<10} {rows}  {result.seconds:6.1f} s")
        if result.error is not None:
            failed = True
            err = result.error
            click.echo(
                f"  error: {err.where + ': ' if err.where else ''}{err.message}",
                err=True,
            )
            if err.hint:
                click.echo(f"  hint: {err.hint}", err=True)
    sys.exit(1 if failed else 0)


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check every pipeline, schema and catalogue file; report all problems."""
    from ogd.pipeline.check import check_project

    settings = _settings(ctx)
    errors = check_project(settings)
    if errors:
        _fail(SpecErrors(errors))
    click.echo("all pipelines, schemas and catalogue files are valid")


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 5000).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the portal and the API."""
    from werkzeug.serving import run_simple

    from ogd.web.app import create_app

    settings = _settings(ctx, host=host, port=port)
    if "OGD_SITE_URL" not in os.environ and port is not None:
        settings = load_settings(
            Path(ctx.obj["config"]) if ctx.obj.get("config") else None,
            os.environ,
            host=host,
            port=port,
            site_url=f"http://{settings.host}:{settings.port}",
        )
    try:
        app = create_app(settings)
    except OgdError as exc:
        _fail(exc)
    click.echo(f"Open Data Luzern: {settings.site_url}  (Ctrl-C stops)")
    run_simple(settings.host, settings.port, app, threaded=True, use_reloader=False)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ogd` command."""
    try:
        cli.main(args=argv, prog_name="ogd", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
