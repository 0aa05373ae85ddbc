"""`ogd export dcat` and `ogd import dcat`: the DCAT-AP CH catalogue as a file, and back."""

from __future__ import annotations

from pathlib import Path

import click

from ogd.errors import OgdError, SpecError

SUFFIXES = {"ttl": "ttl", "xml": "rdf", "jsonld": "jsonld"}


def _fail(exc: OgdError) -> None:
    from ogd.cli import _fail as fail

    fail(exc)


@click.group("export")
def export() -> None:
    """Write the catalogue to a file."""


@export.command("dcat")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "xml", "jsonld"]),
    default="ttl",
    show_default=True,
    help="Turtle, RDF/XML or JSON-LD.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@click.pass_context
def export_dcat(ctx: click.Context, fmt: str, out: Path | None) -> None:
    """Write every active public dataset as one DCAT-AP CH catalogue (no paging)."""
    from ogd.catalog.actions import Context
    from ogd.cli import _settings
    from ogd.dcat.graph import catalog_graph
    from ogd.dcat.profile import load_profile
    from ogd.dcat.records import collect_page
    from ogd.dcat.serialize import serialize
    from ogd.instance import open_instance

    settings = _settings(ctx)
    try:
        instance = open_instance(settings)
        profile = load_profile(
            settings.path(settings.catalog_dir), settings.site_title, settings.site_description
        )
        with instance.sessions() as session:
            data = collect_page(Context(session, settings), 1, 10**9)
        site = settings.site_url.rstrip("/")
        endpoint = f"{site}/catalog.{SUFFIXES[fmt]}"
        text = serialize(catalog_graph(data, profile, site, endpoint), fmt)
    except OgdError as exc:
        _fail(exc)
        return
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {data.total} datasets to {out}", err=True)


@click.group("import")
def import_() -> None:
    """Read records from a file into the catalogue."""


@import_.command("dcat")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--organization",
    default=None,
    metavar="NAME",
    help="Owner of every record (default: the slug after `@` in dct:identifier).",
)
@click.pass_context
def import_dcat(ctx: click.Context, file: Path, organization: str | None) -> None:
    """Import the dcat:Dataset records of FILE (RDF/XML, Turtle or JSON-LD) as API datasets."""
    from rdflib import Graph

    from ogd.catalog import authz
    from ogd.catalog.actions import Context
    from ogd.cli import _settings
    from ogd.dcat.importer import import_graph
    from ogd.instance import open_instance

    settings = _settings(ctx)
    try:
        graph = Graph().parse(file)
    except Exception as exc:  # rdflib raises many parser-specific types
        _fail(
            SpecError(f"cannot read RDF: {exc}", where=str(file), hint="RDF/XML, Turtle, JSON-LD")
        )
        return
    try:
        instance = open_instance(settings)
        with instance.sessions() as session:
            site = Context(session, settings, authz.SITE_USER, instance.storage)
            for result in import_graph(site, graph, organization):
                click.echo(
                    f"{result.action} {result.name} ({result.identifier}) in {result.organization}"
                )
    except OgdError as exc:
        _fail(exc)
