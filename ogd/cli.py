"""The `ogd` command; the only module that reads os.environ, prints or picks exit codes.

Exit codes: 0 published or nothing to do, 1 a pipeline or check failed, 2 usage error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from ogd.config import Settings, load_settings
from ogd.errors import OgdError, SpecError, SpecErrors

log = logging.getLogger("ogd")


def _print_error(error: OgdError) -> None:
    click.echo(f"error: {error.where + ': ' if error.where else ''}{error.message}", err=True)
    if error.hint:
        click.echo(f"  hint: {error.hint}", err=True)


def _fail(exc: OgdError) -> None:
    for error in exc.errors if isinstance(exc, SpecErrors) else [exc]:
        _print_error(error)
    sys.exit(1)


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    config = ctx.obj.get("config")
    try:
        return load_settings(Path(config) if config else None, os.environ, **overrides)
    except OgdError as exc:
        _fail(exc)
        raise  # unreachable: _fail exits


@click.group()
@click.option("--config", type=click.Path(dir_okay=False), help="Settings file (./ogd.toml).")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: bool) -> None:
    """Open Data Luzern: describe, run, check and serve open datasets."""
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(level)
    ctx.obj = {"config": config or os.environ.get("OGD_CONFIG")}


@cli.command()
@click.option(
    "--if-missing", is_flag=True, help="Do nothing when every demo source already exists."
)
@click.pass_context
def demo(ctx: click.Context, if_missing: bool) -> None:
    """Generate the synthetic demo source extracts (seeded)."""
    from ogd.demo import SOURCE_FILES, generate_demo_sources

    settings = _settings(ctx)
    _demo_key(settings)
    target = settings.path(settings.sources_dir)
    if if_missing and all((target / name).exists() for name in SOURCE_FILES):
        click.echo(f"demo sources present in {target}")
        return
    for path in generate_demo_sources(target, settings.demo_seed):
        click.echo(f"wrote {path}")


def _demo_key(settings: Settings) -> None:
    """The demo instance's pseudonymisation key: 32 random bytes, readable by the owner only."""
    path = settings.key_file
    if settings.pseudonym_key or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))
    click.echo(f"created a pseudonymisation key for the demo instance in {path}")


def _load_specs(settings: Settings, names: list[str]) -> list[Any]:
    from ogd.pipeline.check import pipeline_files
    from ogd.pipeline.spec import load_pipeline

    try:
        files = pipeline_files(settings, names)
    except SpecError as exc:
        raise click.UsageError(f"{exc.message} ({exc.hint})") from None
    try:
        return [load_pipeline(p, settings.root) for p in files]
    except OgdError as exc:
        _fail(exc)
        raise


@contextlib.contextmanager
def catalogue_session(settings: Settings) -> Iterator[Any]:
    """A session on the instance's catalogue for one command (the engine disposed after);
    a catalogue that cannot be opened ends the command with its error."""
    from ogd.instance import open_instance

    try:
        instance = open_instance(settings, sync=False)
    except OgdError as exc:
        _fail(exc)
        raise
    try:
        with instance.sessions() as session:
            yield session
    finally:
        instance.engine.dispose()


def _due(settings: Settings, specs: list[Any]) -> list[Any]:
    from ogd.pipeline.history import last_run_start
    from ogd.pipeline.schedule import is_due

    now = dt.datetime.now(ZoneInfo(settings.timezone))
    with catalogue_session(settings) as session:
        return [s for s in specs if is_due(s.schedule, last_run_start(session, s.slug), now)]


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Publish even when source and pipeline are unchanged.")
@click.option("--dry-run", is_flag=True, help="Do everything but publish; print the reports.")
@click.option("--due", is_flag=True, help="Run only pipelines whose schedule is due.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only (for cron).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def run(
    ctx: click.Context,
    names: tuple[str, ...],
    force: bool,
    dry_run: bool,
    due: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Run pipelines (all, or the NAMES given)."""
    from ogd.cli_output import RunConsole
    from ogd.instance import open_instance
    from ogd.pipeline.runner import run_pipeline

    settings = _settings(ctx)
    specs = _load_specs(settings, list(names))
    if due:
        specs = _due(settings, specs)
    try:
        instance = open_instance(settings)
    except OgdError as exc:
        _fail(exc)
    console = RunConsole(quiet=quiet or as_json, dry_run=dry_run)
    results = []
    with console:
        for spec in specs:
            results.append(
                run_pipeline(
                    spec,
                    settings,
                    instance.sessions,
                    instance.storage,
                    force=force,
                    dry_run=dry_run,
                    user=os.environ.get("USER", "cli"),
                    environ=os.environ,
                    progress=console.progress,
                )
            )
            console.done(results[-1])
    console.summary(results)
    published = [r.pipeline for r in results if r.outcome == "published"]
    if published:
        from ogd import cli_quality

        cli_quality.score_in_child(ctx.obj.get("config"), published, quiet or as_json)
    if as_json:
        click.echo(json.dumps([console.as_dict(r) for r in results], ensure_ascii=False, indent=2))
    sys.exit(1 if any(r.outcome == "failed" for r in results) else 0)


@cli.command()
@click.argument("name", required=False)
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many runs to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
@click.pass_context
def runs(ctx: click.Context, name: str | None, limit: int, as_json: bool) -> None:
    """List recorded runs, newest first (of all pipelines or of NAME)."""
    from dataclasses import asdict

    from ogd.cli_output import print_runs
    from ogd.pipeline.history import list_runs

    with catalogue_session(_settings(ctx)) as session:
        records = list_runs(session, name, limit)
    if as_json:
        click.echo(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2))
    else:
        print_runs(records)


@cli.command()
@click.option("--once", is_flag=True, help="Run what is due now, then exit.")
@click.pass_context
def schedule(ctx: click.Context, once: bool) -> None:
    """Run every pipeline on its cron schedule until stopped (Ctrl-C)."""
    from ogd.pipeline.scheduler import run_scheduler

    settings = _settings(ctx)
    specs = _load_specs(settings, [])
    try:
        run_scheduler(settings, specs, os.environ, once=once, echo=click.echo)
    except OgdError as exc:
        _fail(exc)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--schema",
    "schema_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The Table Schema (JSON or YAML).",
)
@click.option("--encoding", default=None, help="CSV encoding (default: detected).")
@click.option("--delimiter", default=None, help="CSV delimiter (default: sniffed).")
@click.option("--sheet", default=None, help="Excel sheet (default: the first).")
@click.option("--json", "as_json", is_flag=True, help="Print the frictionless-shaped report.")
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Errors to list in the text summary.",
)
def validate(
    file: Path,
    schema_file: Path,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    as_json: bool,
    limit: int,
) -> None:
    """Validate a CSV, Parquet or Excel FILE against a Table Schema (exit 1 when invalid)."""
    from ogd.validate import validate_file

    options = {
        k: v
        for k, v in (("encoding", encoding), ("delimiter", delimiter), ("sheet", sheet))
        if v is not None
    }
    try:
        report = validate_file(file, schema_file, options=options)
    except OgdError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    elif report.valid:
        click.echo(f"{file.name}: valid ({report.rows:,} rows)".replace(",", "'"))
    else:
        click.echo(
            f"{file.name}: {report.error_count} error(s) in {report.rows:,} rows".replace(",", "'")
        )
        click.echo(report.summary(limit))
    sys.exit(0 if report.valid else 1)


@cli.group()
def schema() -> None:
    """Table Schemas: infer a starting schema from a file."""


@schema.command("infer")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema here (default: print it).",
)
def schema_infer(file: Path, output: Path | None) -> None:
    """Infer a Table Schema from FILE (through frictionless) for the steward to edit."""
    from ogd.validate.infer import infer_schema

    try:
        descriptor = infer_schema(file)
    except OgdError as exc:
        _fail(exc)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(
            f"wrote {output}: {len(descriptor['fields'])} fields; check types, "
            "formats and constraints before using it"
        )


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
    _check_quality(settings)


def _check_quality(settings: Settings) -> None:
    """Score the published datasets of an existing instance; warn below "good"."""
    from ogd import cli_quality
    from ogd.instance import open_instance

    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return  # no instance yet: nothing is published
    try:
        reports = cli_quality.score(settings, open_instance(settings), None)
    except OgdError as exc:
        _fail(exc)
    warnings = cli_quality.echo(reports, quiet=False)
    if reports:
        click.echo(f"metadata quality: {len(reports)} datasets, {warnings} below good")


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 5000).")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=1),
    help="Pre-fork N worker processes (gunicorn); default: one threaded process.",
)
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the portal and the API."""
    from werkzeug.serving import run_simple

    from ogd.web.app import create_app

    overrides: dict[str, Any] = {"host": host, "port": port}
    settings = _settings(ctx, **overrides)
    if "OGD_SITE_URL" not in os.environ and port is not None:
        settings = _settings(ctx, **overrides, site_url=f"http://{settings.host}:{settings.port}")
    try:
        app = create_app(settings)
    except OgdError as exc:
        _fail(exc)
    click.echo(f"Open Data Luzern: {settings.site_url}  (Ctrl-C stops)")
    if workers is None:
        run_simple(settings.host, settings.port, app, threaded=True, use_reloader=False)
        return
    from ogd.catalog.package_search import warm

    instance = app.extensions["ogd"]
    with instance.sessions() as session:
        warm(session, settings.site_url)  # built once here, inherited by every worker
    instance.engine.dispose()  # each worker opens its own database connections
    from ogd.web.server import run_workers

    run_workers(app, settings.host, settings.port, workers)


from ogd.cli_audit import audit  # noqa: E402
from ogd.cli_backup import backup, restore  # noqa: E402
from ogd.cli_db import db  # noqa: E402
from ogd.cli_dcat import export, import_  # noqa: E402
from ogd.cli_push import push  # noqa: E402
from ogd.cli_quality import quality  # noqa: E402
from ogd.cli_users import token, user  # noqa: E402

cli.add_command(user)
cli.add_command(db)
cli.add_command(audit)
cli.add_command(backup)
cli.add_command(restore)
cli.add_command(export)
cli.add_command(import_)
cli.add_command(token)
cli.add_command(push)
cli.add_command(quality)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ogd` command."""
    try:
        cli.main(args=argv, prog_name="ogd", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
