"""Pipeline YAML -> frozen `PipelineSpec`; unknown keys are errors with file, line and path."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from croniter import croniter

from ogd.errors import SpecError, SpecErrors
from ogd.extract import READERS
from ogd.pipeline.privacy import PrivacySpec, parse_privacy
from ogd.pipeline.walker import Walker, plain
from ogd.transform import STEPS, Step
from ogd.yamlio import load_yaml

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")
OUTPUTS = ("csv", "parquet", "json")
TOP_KEYS = {
    "source",
    "steps",
    "schema",
    "tables",
    "privacy",
    "metadata",
    "outputs",
    "schedule",
}
_KEYWORD = re.compile(r"^[\w .-]{2,100}$")
METADATA_KEYS = {
    "title",
    "description",
    "organization",
    "license",
    "themes",
    "keywords",
    "contact",
    "frequency",
    "temporal",
    "spatial",
    "documentation",
    "landing_page",
    "spatial_uri",
    "language",
}
LANGUAGES = ("de", "fr", "it", "en", "rm")
ON_INVALID = ("fail", "drop", "quarantine")
FREQUENCIES = (
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "annual",
    "irregular",
    "continuous",
    "never",
)


@dataclass(frozen=True)
class SourceSpec:
    """Where the extract comes from and the Table Schema it must satisfy."""

    kind: str
    options: Mapping[str, Any]
    schema: str | None
    where: str


StepSpec = Step


@dataclass(frozen=True)
class TableSpec:
    """One published table: its steps from the extract and its Table Schema."""

    name: str
    title: Mapping[str, str]
    steps: tuple[StepSpec, ...]
    schema: str
    where: str


@dataclass(frozen=True)
class Contact:
    """The contact point of a dataset."""

    name: str
    email: str


@dataclass(frozen=True)
class MetadataSpec:
    """Catalogue metadata of the dataset (multilingual texts keyed by language)."""

    title: Mapping[str, str]
    description: Mapping[str, str]
    organization: str
    license: str
    themes: tuple[str, ...]
    keywords: Mapping[str, tuple[str, ...]]
    contact: Contact | None
    frequency: str | None
    temporal: Mapping[str, str]
    spatial: str | None
    documentation: str | None
    landing_page: str | None
    where: str
    spatial_uri: tuple[str, ...] = ()
    language: tuple[str, ...] = ()


@dataclass(frozen=True)
class PipelineSpec:
    """A parsed pipeline file."""

    slug: str
    path: Path
    source: SourceSpec
    tables: tuple[TableSpec, ...]
    privacy: PrivacySpec
    metadata: MetadataSpec
    outputs: tuple[str, ...]
    schedule: str | None
    text_hash: str = field(repr=False)


def load_pipeline(path: Path, root: Path | None = None) -> PipelineSpec:
    """Parse one pipeline file.

    Raises:
        SpecErrors: every problem found in the file, each with line and key path.
    """
    display = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    raw = path.read_bytes() if path.exists() else b""
    data = load_yaml(path, display)
    walker = Walker(display)
    top = walker.mapping(data, data, None, "(top level)")
    slug = path.name.removesuffix(".yaml")
    if not SLUG.match(slug):
        walker.errors.append(
            SpecError(
                f"`{slug}` is not a valid slug",
                where=display,
                hint="name the file with lowercase letters, digits and hyphens",
            )
        )
    walker.keys(top, TOP_KEYS, {"source", "metadata", "privacy"}, "")
    source = _source(walker, top)
    tables = _tables(walker, top, slug)
    privacy = parse_privacy(walker, top)
    metadata = _metadata(walker, top)
    outputs = _outputs(walker, top)
    schedule = top.get("schedule")
    if schedule is not None and (
        len(str(schedule).split()) != 5 or not croniter.is_valid(str(schedule))
    ):
        walker.error(
            top,
            "schedule",
            "schedule",
            f"`{schedule}` is not a cron expression",
            hint="five fields: minute hour day-of-month month day-of-week, e.g. `0 6 * * 1`",
        )
    if walker.errors:
        raise SpecErrors(walker.errors)
    return PipelineSpec(
        slug=slug,
        path=path,
        source=source,
        tables=tables,
        privacy=privacy,
        metadata=metadata,
        outputs=outputs,
        schedule=str(schedule) if schedule else None,
        text_hash=hashlib.sha256(raw).hexdigest(),
    )


def _source(w: Walker, top: Mapping[str, Any]) -> SourceSpec:
    node = w.mapping(top.get("source", {}), top, "source", "source")
    kind = str(node.get("kind", ""))
    if kind not in READERS:
        w.error(
            node,
            "kind" if "kind" in node else None,
            "source.kind",
            f"unknown source kind `{kind}`",
            hint=f"kinds: {', '.join(READERS)}",
        )
    else:
        reader = READERS[kind]
        allowed = set(reader.required | reader.optional) | {"kind", "schema", "on_invalid"}
        w.keys(node, allowed, set(reader.required), "source")
    path = node.get("path")
    if isinstance(path, str) and (path.startswith("/") or ".." in Path(path).parts):
        w.error(
            node,
            "path",
            "source.path",
            f"`{path}` must be a path inside the sources folder",
            hint="give a relative path without `..`",
        )
    on_invalid = node.get("on_invalid", "fail")
    if on_invalid not in ON_INVALID:
        w.error(
            node,
            "on_invalid",
            "source.on_invalid",
            f"unknown policy `{on_invalid}`",
            hint=f"use one of: {', '.join(ON_INVALID)}",
        )
    options = {k: plain(v) for k, v in node.items() if k not in {"kind", "schema"}}
    schema = node.get("schema")
    return SourceSpec(kind, options, str(schema) if schema else None, w.where(node, None, "source"))


def _steps(w: Walker, node: Any, parent: Any, key: str, path: str) -> tuple[StepSpec, ...]:
    if node is None:
        return ()
    if not isinstance(node, list):
        w.error(parent, key, path, "must be a list of steps")
        return ()
    steps = []
    for i, item in enumerate(node):
        item_path = f"{path}[{i}]"
        item = w.mapping(item, node, i, item_path)
        kind = str(item.get("kind", ""))
        if kind not in STEPS:
            w.error(
                node,
                i,
                f"{item_path}.kind",
                f"unknown step kind `{kind}`",
                hint=f"kinds: {', '.join(sorted(STEPS))}",
            )
            continue
        d = STEPS[kind]
        w.keys(item, set(d.required | d.optional) | {"kind"}, set(d.required), item_path)
        options = {k: plain(v) for k, v in item.items() if k != "kind"}
        key_where = {k: w.where(item, k, f"{item_path}.{k}") for k in options}
        steps.append(Step(kind, options, w.where(node, i, item_path), key_where))
    return tuple(steps)


def _tables(w: Walker, top: Mapping[str, Any], slug: str) -> tuple[TableSpec, ...]:
    if "tables" in top:
        if "steps" in top or "schema" in top:
            w.error(
                top,
                "tables",
                "tables",
                "give either `tables` or `steps` and `schema`, not both",
            )
        items = top["tables"]
        if not isinstance(items, list) or not items:
            w.error(top, "tables", "tables", "must be a non-empty list of tables")
            return ()
        tables = []
        for i, item in enumerate(items):
            item = w.mapping(item, items, i, f"tables[{i}]")
            w.keys(
                item,
                {"name", "title", "steps", "schema"},
                {"name", "schema"},
                f"tables[{i}]",
            )
            name = str(item.get("name", ""))
            title = w.texts(item.get("title", name), item, "title", f"tables[{i}].title")
            steps = _steps(w, item.get("steps"), item, "steps", f"tables[{i}].steps")
            tables.append(
                TableSpec(
                    f"{slug}-{name}",
                    title,
                    steps,
                    str(item.get("schema", "")),
                    w.where(items, i, f"tables[{i}]"),
                )
            )
        return tuple(tables)
    if "schema" not in top:
        w.error(top, None, "schema", "missing key `schema` (or `tables`)")
    steps = _steps(w, top.get("steps"), top, "steps", "steps")
    return (
        TableSpec(
            slug,
            {},
            steps,
            str(top.get("schema", "")),
            w.where(top, "schema", "schema"),
        ),
    )


def _metadata(w: Walker, top: Mapping[str, Any]) -> MetadataSpec:
    node = w.mapping(top.get("metadata", {}), top, "metadata", "metadata")
    w.keys(node, METADATA_KEYS, {"title", "organization", "license"}, "metadata")
    keywords = w.mapping(node.get("keywords", {}), node, "keywords", "metadata.keywords")
    for language, words in keywords.items():
        if language != "de":
            continue  # only German keywords become CKAN tags
        for word in words if isinstance(words, list) else []:
            if not _KEYWORD.match(str(word)):
                w.error(
                    words,
                    words.index(word),
                    f"metadata.keywords.{language}[{words.index(word)}]",
                    f"keyword `{word}` may hold only letters, digits, spaces and `-_.`, "
                    "2 to 100 characters (CKAN tags; harvesters refuse others)",
                    hint="drop the other characters, e.g. `Quelle BFS` for `Quelle: BFS`",
                )
    contact = node.get("contact")
    frequency = node.get("frequency")
    if frequency is not None and frequency not in FREQUENCIES:
        w.error(
            node,
            "frequency",
            "metadata.frequency",
            f"unknown frequency `{frequency}`",
            hint=f"use one of: {', '.join(FREQUENCIES)}",
        )
    temporal = w.mapping(node.get("temporal", {}), node, "temporal", "metadata.temporal")
    spatial_uri = _strings(node.get("spatial_uri"))
    for uri in spatial_uri:
        if not uri.startswith(("http://", "https://")):
            w.error(
                node,
                "spatial_uri",
                "metadata.spatial_uri",
                f"`{uri}` is not an IRI",
                hint="give a GeoNames or EU place IRI, e.g. https://sws.geonames.org/2659811/",
            )
    languages = _strings(node.get("language"))
    for code in languages:
        if code not in LANGUAGES:
            w.error(
                node,
                "language",
                "metadata.language",
                f"unknown language `{code}`",
                hint=f"use one of: {', '.join(LANGUAGES)}",
            )
    return MetadataSpec(
        title=w.texts(node.get("title", ""), node, "title", "metadata.title"),
        description=w.texts(
            node.get("description", {"de": ""}),
            node,
            "description",
            "metadata.description",
        ),
        organization=str(node.get("organization", "")),
        license=str(node.get("license", "")),
        themes=tuple(str(t) for t in node.get("themes", []) or []),
        keywords={str(k): tuple(str(x) for x in v or []) for k, v in keywords.items()},
        contact=Contact(str(contact.get("name", "")), str(contact.get("email", "")))
        if isinstance(contact, Mapping)
        else None,
        frequency=str(frequency) if frequency else None,
        temporal={str(k): str(v) for k, v in temporal.items()},
        spatial=str(node["spatial"]) if node.get("spatial") else None,
        documentation=str(node["documentation"]) if node.get("documentation") else None,
        landing_page=str(node["landing_page"]) if node.get("landing_page") else None,
        where=w.where(top, "metadata", "metadata"),
        spatial_uri=spatial_uri,
        language=languages,
    )


def _strings(value: Any) -> tuple[str, ...]:
    """One string or a list of strings, as a tuple."""
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def _outputs(w: Walker, top: Mapping[str, Any]) -> tuple[str, ...]:
    outputs = top.get("outputs", ["csv", "parquet"])
    if not isinstance(outputs, list) or any(o not in OUTPUTS for o in outputs):
        w.error(top, "outputs", "outputs", f"must be a list of: {', '.join(OUTPUTS)}")
        return OUTPUTS
    return tuple(str(o) for o in outputs)
