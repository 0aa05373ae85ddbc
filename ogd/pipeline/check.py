"""`ogd check`: every pipeline, schema and catalogue file parses and refers to things that exist."""

from __future__ import annotations

from pathlib import Path

from ogd.catalog.vocab import Vocabulary, load_vocabulary
from ogd.config import Settings
from ogd.errors import SchemaError, SourceInvalid, SpecError, SpecErrors
from ogd.pipeline.spec import PipelineSpec, TableSpec, load_pipeline
from ogd.transform import StepContext, apply_steps
from ogd.validate import arrow_schema, load_schema


def pipeline_files(settings: Settings, names: list[str] | None = None) -> list[Path]:
    """The pipeline files, all or the named ones (in name order).

    Raises:
        SpecError: a named pipeline does not exist.
    """
    folder = settings.path(settings.pipelines_dir)
    files = sorted(folder.glob("*.yaml"))
    if not names:
        return files
    known = {p.name.removesuffix(".yaml"): p for p in files}
    missing = [n for n in names if n not in known]
    if missing:
        raise SpecError(
            f"no pipeline named {', '.join(missing)}",
            where=str(folder),
            hint=f"pipelines are: {', '.join(known) or '(none)'}",
        )
    return [known[n] for n in names]


def _check_refs(spec: PipelineSpec, vocab: Vocabulary, settings: Settings) -> list[SpecError]:
    errors: list[SpecError] = []
    meta = spec.metadata
    where = f"{spec.path.name}, metadata"
    if meta.organization not in vocab.organizations:
        errors.append(
            SpecError(
                f"organisation `{meta.organization}` is not in catalog/organizations.yaml",
                where=f"{where}.organization",
                hint=f"known: {', '.join(vocab.organizations)}",
            )
        )
    if meta.license not in vocab.licenses:
        errors.append(
            SpecError(
                f"licence `{meta.license}` is not in catalog/licenses.yaml",
                where=f"{where}.license",
                hint=f"known: {', '.join(vocab.licenses)}",
            )
        )
    for theme in meta.themes:
        if theme not in vocab.themes:
            errors.append(
                SpecError(
                    f"theme `{theme}` is not in catalog/themes.yaml",
                    where=f"{where}.themes",
                    hint=f"known: {', '.join(vocab.themes)}",
                )
            )
    return errors


def _check_schemas(spec: PipelineSpec, settings: Settings) -> list[SpecError]:
    errors: list[SpecError] = []
    folder = settings.path(settings.schemas_dir)
    source_fields: list[str] | None = None
    names = [(t.schema, t.where) for t in spec.tables]
    if spec.source.schema:
        names.append((spec.source.schema, spec.source.where))
    for name, where in names:
        path = folder / f"{name}.schema.json"
        if not path.exists():
            errors.append(
                SpecError(f"schema `{name}` not found ({path.name} in schemas/)", where=where)
            )
            continue
        try:
            schema = load_schema(path)
        except SchemaError as exc:
            errors.append(SpecError(exc.message, where=exc.where, hint=exc.hint))
            continue
        if name == spec.source.schema:
            source_fields = list(schema.field_names)
    if spec.privacy.personal_data and source_fields is not None:
        for column in source_fields:
            if column not in spec.privacy.columns:
                errors.append(
                    SpecError(
                        f"column `{column}` of schema `{spec.source.schema}` has no privacy role",
                        where=f"{spec.privacy.where}.columns",
                        hint="give it one of: identifier, quasi_identifier, sensitive, insensitive",
                    )
                )
        for column in spec.privacy.columns:
            if column not in source_fields:
                errors.append(
                    SpecError(
                        f"`{column}` is not a column of schema `{spec.source.schema}`",
                        where=f"{spec.privacy.where}.columns.{column}",
                        hint=f"columns are: {', '.join(source_fields)}",
                    )
                )
    return errors


def _check_steps(spec: PipelineSpec, settings: Settings) -> list[SpecError]:
    """Run every table's steps on an empty table typed by the source schema.

    This finds unknown columns, bad expressions and outputs that do not match their
    schema without reading any data.
    """
    if spec.source.schema is None:
        return []
    try:
        source = load_schema(
            settings.path(settings.schemas_dir) / f"{spec.source.schema}.schema.json"
        )
    except SchemaError:
        return []  # reported by _check_schemas
    pseudonyms = spec.privacy.pseudonymise
    identifiers = set(spec.privacy.columns_with("identifier")) - set(
        pseudonyms.columns if pseudonyms else ()
    )
    empty = arrow_schema(source).empty_table()
    empty = empty.drop_columns([c for c in empty.column_names if c in identifiers])
    errors: list[SpecError] = []
    for table in spec.tables:
        ctx = StepContext(settings.path(settings.lookups_dir))
        try:
            out = apply_steps(empty, table.steps, ctx)
        except (SpecError, SourceInvalid) as exc:
            errors.append(SpecError(exc.message, where=exc.where, hint=exc.hint))
            continue
        errors += _check_output_columns(spec, settings, table, out.column_names)
        errors += _check_microdata(spec, settings, out.column_names)
    return errors


def _check_microdata(spec: PipelineSpec, settings: Settings, columns: list[str]) -> list[SpecError]:
    """Quasi-identifiers and sensitive columns exist, hierarchies exist, every column has a role."""
    micro = spec.privacy.microdata
    if micro is None:
        return []
    errors = []
    for column in [*micro.quasi_identifiers, *micro.sensitive]:
        if column not in columns:
            errors.append(
                SpecError(
                    f"`{column}` is not a column of the published table",
                    where=micro.where,
                    hint=f"the steps produce: {', '.join(columns)}",
                )
            )
    folder = settings.path(settings.hierarchies_dir)
    for column, rule in micro.quasi_identifiers.items():
        if "hierarchy" in rule and not (folder / str(rule["hierarchy"])).is_file():
            errors.append(
                SpecError(
                    f"hierarchy file `{rule['hierarchy']}` not found in {folder}",
                    where=f"{micro.where}.quasi_identifiers.{column}",
                )
            )
    roles = spec.privacy.columns
    unclassified = [
        c
        for c in columns
        if c not in micro.quasi_identifiers
        and c not in micro.sensitive
        and roles.get(c) not in ("insensitive", "sensitive")
    ]
    if unclassified:
        errors.append(
            SpecError(
                f"published microdata columns without a privacy role: {', '.join(unclassified)}",
                where=micro.where,
                hint="list them as quasi_identifiers or sensitive, or give them the role "
                "insensitive",
            )
        )
    return errors


def _check_output_columns(
    spec: PipelineSpec, settings: Settings, table: TableSpec, columns: list[str]
) -> list[SpecError]:
    try:
        schema = load_schema(settings.path(settings.schemas_dir) / f"{table.schema}.schema.json")
    except SchemaError:
        return []
    expected = list(schema.field_names)
    missing = [c for c in expected if c not in columns]
    extra = [c for c in columns if c not in expected]
    if not missing and not extra:
        return []
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
        [f"not in the schema: {', '.join(extra)}"] if extra else []
    )
    return [
        SpecError(
            f"the steps produce columns that do not match schema `{table.schema}`: "
            + "; ".join(parts),
            where=table.where,
            hint=f"the steps produce: {', '.join(columns)}",
        )
    ]


def check_project(settings: Settings) -> list[SpecError]:
    """Every problem in every pipeline, schema and catalogue file (empty when all is well)."""
    errors: list[SpecError] = []
    vocab: Vocabulary | None = None
    try:
        vocab = load_vocabulary(settings.path(settings.catalog_dir), settings.root)
    except SpecErrors as exc:
        errors += exc.errors
    for path in pipeline_files(settings):
        try:
            spec = load_pipeline(path, settings.root)
        except SpecErrors as exc:
            errors += exc.errors
            continue
        except SpecError as exc:
            errors.append(exc)
            continue
        if vocab is not None:
            errors += _check_refs(spec, vocab, settings)
        errors += _check_schemas(spec, settings)
        errors += _check_steps(spec, settings)
    return errors
