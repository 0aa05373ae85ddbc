"""CKAN's write actions: datasets, resources (with uploads), organisations, members.

Each action checks rights first (403 before 409, as CKAN), validates the whole input
(every problem keyed by field, 409), changes the catalogue, re-indexes the dataset for
search, records an activity and commits: the result is current the moment it returns.
Uploaded files go to storage before the commit and are removed again when the commit
fails, so a failed call leaves neither a file nor a row behind.

Datasets published by a pipeline keep their data resources (the files of the release)
under the pipeline's control: the API refuses to change or delete them (409) but
accepts metadata changes by the organisation's editors. The next release re-applies
the metadata of the pipeline file, which stays the source of truth.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ogd.catalog import authz
from ogd.catalog.activity import record_activity
from ogd.catalog.context import QUALITY_EXTRA, Context, _bool, _get_dataset, _required
from ogd.catalog.dictize import DATASET_TEXT_FIELDS, organization_dict, package_dict, resource_dict
from ogd.catalog.models import (
    Dataset,
    License,
    Organization,
    Resource,
    Tag,
    Theme,
    new_id,
    utcnow,
)
from ogd.catalog.publishing import index_dataset
from ogd.errors import Conflict, NotAuthorized, NotFound, ValidationError

NAME_RE = re.compile(r"^[a-z0-9_-]*$")
NAME_MESSAGE = "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"
RESERVED_NAMES = frozenset({"new", "edit", "search"})
TAG_RE = re.compile(r"^[\w .-]*$", re.UNICODE)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TEXT_FIELDS = DATASET_TEXT_FIELDS
RESOURCE_FIELDS = ("url", "name", "description", "format", "mimetype")
RESOURCE_READ_ONLY = frozenset(
    {
        "id",
        "package_id",
        "position",
        "created",
        "metadata_modified",
        "last_modified",
        "datastore_active",
        "size",
        "hash",
        "url_type",
        "upload",
        "state",
        "cache_url",
        "cache_last_updated",
        "mimetype_inner",
        "resource_type",
        "rows",
        "tracking_summary",
        "clear_upload",
        "checksum",
    }
)
FORMATS = {
    "csv": "CSV",
    "text/csv": "CSV",
    "json": "JSON",
    "application/json": "JSON",
    "geojson": "GeoJSON",
    "xlsx": "XLSX",
    "xls": "XLS",
    "parquet": "Parquet",
    "application/vnd.apache.parquet": "Parquet",
    "pdf": "PDF",
    "xml": "XML",
    "zip": "ZIP",
    "html": "HTML",
    "txt": "TXT",
    "rdf": "RDF",
    "ttl": "TTL",
    "shp": "SHP",
    "tsv": "TSV",
}
MIMETYPES = {".parquet": "application/vnd.apache.parquet", ".geojson": "application/geo+json"}


# -- helpers ------------------------------------------------------------------------------


def _site(ctx: Context) -> str:
    return ctx.settings.site_url


def _listish(data: Mapping[str, Any], key: str) -> list[Any] | None:
    """A list input that may arrive JSON-encoded (multipart and GET send strings)."""
    if key not in data or data[key] is None:
        return None
    value = data[key]
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError:
            raise ValidationError({key: ["Not a list"]}) from None
    if not isinstance(value, list):
        raise ValidationError({key: ["Not a list"]})
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text != "" else None


def _check_name(ctx: Context, raw: Any, errors: dict[str, list[str]], own_id: str | None) -> str:
    name = "" if raw is None else str(raw)
    if not name:
        errors.setdefault("name", []).append("Missing value")
        return name
    if not NAME_RE.match(name):
        errors.setdefault("name", []).append(NAME_MESSAGE)
    if len(name) < 2:
        errors.setdefault("name", []).append("Must be at least 2 characters long")
    if len(name) > 100:
        errors.setdefault("name", []).append("Name must be a maximum of 100 characters long")
    if name in RESERVED_NAMES:
        errors.setdefault("name", []).append("That name cannot be used")
    other = ctx.session.scalar(select(Dataset).where(Dataset.name == name))
    if other is not None and other.id != own_id and other.state != "deleted":
        errors.setdefault("name", []).append("That URL is already in use.")
    return name


def _free_name(ctx: Context, name: str, own_id: str | None) -> None:
    """A deleted dataset gives up its name to a new one (CKAN: names are unique among
    datasets that are not deleted); it keeps its id and history under a longer name."""
    other = ctx.session.scalar(select(Dataset).where(Dataset.name == name))
    if other is not None and other.id != own_id and other.state == "deleted":
        other.name = f"{name[:50]}-deleted-{other.id}"
        ctx.session.flush()


def _org_for(ctx: Context, value: Any, errors: dict[str, list[str]]) -> Organization | None:
    if value is None or str(value).strip() == "":
        errors.setdefault("owner_org", []).append("An organization must be provided")
        return None
    org = ctx.session.scalar(
        select(Organization).where(
            (Organization.id == str(value)) | (Organization.name == str(value))
        )
    )
    if org is None or org.state != "active":
        errors.setdefault("owner_org", []).append("Organization does not exist")
        return None
    return org


def _tags_from(data: Mapping[str, Any], errors: dict[str, list[str]]) -> list[str] | None:
    raw = _listish(data, "tags")
    if raw is None and data.get("tag_string") is not None:
        raw = [t.strip() for t in str(data["tag_string"]).split(",") if t.strip()]
    if raw is None:
        return None
    names = []
    for item in raw:
        name = str(item.get("name", "") if isinstance(item, Mapping) else item).strip()
        if not TAG_RE.match(name):
            errors.setdefault("tags", []).append(
                f'Tag "{name}" must be alphanumeric characters or symbols: -_.'
            )
        elif len(name) < 2:
            errors.setdefault("tags", []).append(f'Tag "{name}" length is less than minimum 2')
        elif len(name) > 100:
            errors.setdefault("tags", []).append(
                f'Tag "{name[:20]}…" length is more than maximum 100'
            )
        else:
            names.append(name)
    return list(dict.fromkeys(names))


def _extras_from(
    data: Mapping[str, Any], current: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any] | None:
    raw = _listish(data, "extras")
    if raw is None:
        return None
    extras: dict[str, Any] = {}
    for item in raw:
        if not isinstance(item, Mapping) or "key" not in item:
            errors.setdefault("extras", []).append("Each extra needs a key and a value")
            continue
        key, value = str(item["key"]), item.get("value")
        if key == QUALITY_EXTRA:
            continue  # package_show's read-only quality summary, computed, never stored
        if key in extras:
            errors.setdefault("extras_validation", []).append(f'Duplicate key "{key}"')
            continue
        old = current.get(key)
        # A round trip sends structured values back as the JSON text package_show gave.
        if old is not None and not isinstance(old, str) and isinstance(value, str):
            extras[key] = _restructured(old, value)
        else:
            extras[key] = value  # structured values (lists, objects) stay structured
    return extras


def _restructured(old: Any, value: str) -> Any:
    """A structured extra sent back as JSON text (as package_show renders it) becomes
    structured again when the text is JSON of the same kind; other text stays text."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return value
    return parsed if isinstance(parsed, type(old)) else value


def _groups_from(
    ctx: Context, data: Mapping[str, Any], errors: dict[str, list[str]]
) -> list[Theme] | None:
    raw = _listish(data, "groups")
    if raw is None:
        return None
    themes = []
    for item in raw:
        # A dump of another instance names its groups by foreign ids: fall back to the name.
        refs = [item.get("id"), item.get("name")] if isinstance(item, Mapping) else [item]
        ref = next((r for r in refs if r), None)
        theme = None
        for candidate in (str(r) for r in refs if r):
            theme = ctx.session.scalar(
                select(Theme).where((Theme.id == candidate) | (Theme.name == candidate))
            )
            if theme is not None:
                break
        if theme is None:
            errors.setdefault("groups", []).append(f"Group {ref} does not exist")
        else:
            themes.append(theme)
    return list(dict.fromkeys(themes))


def _tag_objects(ctx: Context, names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag = ctx.session.scalar(select(Tag).where(Tag.name == name))
        tags.append(tag or Tag(name=name))
    return tags


def normalise_format(value: str | None, filename: str | None) -> str:
    """CKAN's format cleaning: known names upper-cased, guessed from the extension."""
    text = (value or "").strip()
    if not text and filename:
        text = Path(filename.split("?")[0]).suffix.lstrip(".")
    return FORMATS.get(text.lower(), text.upper() if len(text) <= 5 and text else text)


def _mimetype(filename: str | None) -> str | None:
    if not filename:
        return None
    suffix = Path(filename).suffix.lower()
    return MIMETYPES.get(suffix) or mimetypes.guess_type(filename)[0]


def _safe_filename(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-")
    return base[:200] or "upload"


# -- uploads ------------------------------------------------------------------------------


class _Uploads:
    """Files written to storage during one action; removed if the action fails."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.written: list[str] = []
        self.obsolete: list[str] = []

    def store(self, upload: Any, dataset: Dataset, resource: Resource) -> None:
        storage = self.ctx.storage
        if storage is None:
            raise ValidationError({"upload": ["Uploads are not available here"]})
        filename = _safe_filename(str(getattr(upload, "filename", None) or "upload"))
        stream = getattr(upload, "stream", upload)
        digest, legacy = hashlib.sha256(), hashlib.sha1(usedforsecurity=False)
        size = 0
        with tempfile.NamedTemporaryFile(prefix="ogd-upload-", delete=False) as tmp:
            tmp_path = Path(tmp.name)
            try:
                while block := stream.read(1 << 20):
                    if isinstance(block, str):
                        block = block.encode("utf-8")
                    digest.update(block)
                    legacy.update(block)
                    size += len(block)
                    tmp.write(block)
            except OSError as exc:
                tmp_path.unlink(missing_ok=True)
                raise ValidationError({"upload": [f"Could not read the upload: {exc}"]}) from None
        key = f"uploads/{dataset.id}/{resource.id}/{digest.hexdigest()[:12]}/{filename}"
        try:
            storage.put(tmp_path, key)
        finally:
            tmp_path.unlink(missing_ok=True)
        self.written.append(key)
        if resource.storage_key and resource.storage_key != key:
            self.obsolete.append(resource.storage_key)
        resource.url_type, resource.url = "upload", filename
        resource.filename, resource.storage_key = filename, key
        resource.size, resource.hash = size, f"sha256:{digest.hexdigest()}"
        resource.extras = {**(resource.extras or {}), "checksum": f"sha1:{legacy.hexdigest()}"}
        resource.last_modified = utcnow()
        resource.mimetype = _mimetype(filename) or resource.mimetype

    def rollback(self) -> None:
        if self.ctx.storage is not None:
            for key in self.written:
                self.ctx.storage.delete(key)

    def commit(self) -> None:
        if self.ctx.storage is not None:
            for key in self.obsolete:
                if not key.startswith("uploads/"):
                    continue  # release files belong to their release
                self.ctx.storage.delete(key)


@contextmanager
def _writing(ctx: Context) -> Iterator[_Uploads]:
    """Commit on success; on any failure roll back the session and remove uploads."""
    uploads = _Uploads(ctx)
    try:
        yield uploads
        ctx.session.commit()
    except BaseException:
        ctx.session.rollback()
        uploads.rollback()
        raise
    uploads.commit()


def _is_upload(value: Any) -> bool:
    return (
        value is not None
        and not isinstance(value, str | bytes)
        and (hasattr(value, "read") or hasattr(value, "stream"))
    )


# -- datasets -----------------------------------------------------------------------------


def _apply_dataset(
    ctx: Context,
    dataset: Dataset,
    data: Mapping[str, Any],
    uploads: _Uploads,
    *,
    creating: bool,
) -> None:
    """Validate `data` in full and apply it to `dataset` (replace semantics)."""
    errors: dict[str, list[str]] = {}
    name = _check_name(ctx, data.get("name", dataset.name), errors, dataset.id)
    if not creating and data.get("id") not in (None, "", dataset.id, dataset.name):
        errors.setdefault("id", []).append(
            f"Cannot change value of key from {dataset.id} to {data.get('id')}. "
            "This key is read-only"
        )
    org_ref = data["owner_org"] if "owner_org" in data else dataset.owner_org
    org = _org_for(ctx, org_ref, errors)
    private = _bool(data, "private", False)
    for key in ("author_email", "maintainer_email"):
        value = _text(data.get(key))
        if value and not EMAIL_RE.match(value):
            errors.setdefault(key, []).append(f"Email {value} is not a valid format")
    license_id = _text(data.get("license_id"))
    if license_id and ctx.session.get(License, license_id) is None:
        errors.setdefault("license_id", []).append(
            f"License `{license_id}` is not in the licence register (see license_list)"
        )
    for key in ("title_translated", "notes_translated"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            try:
                value = json.loads(value)
            except ValueError:
                value = None
        if value is not None and not isinstance(value, Mapping):
            errors.setdefault(key, []).append("Must be an object of language -> text")
    state = str(data.get("state") or ("active" if creating else dataset.state))
    if state not in {"active", "draft"}:
        errors.setdefault("state", []).append("State must be active or draft")
    tags = _tags_from(data, errors)
    extras = _extras_from(data, dataset.extras or {}, errors)
    themes = _groups_from(ctx, data, errors)
    resources = _listish(data, "resources")
    if resources is not None and not all(isinstance(r, Mapping) for r in resources):
        errors.setdefault("resources", []).append("Each resource must be an object")
    if errors:
        raise ValidationError(errors)
    assert org is not None
    if not creating and org.id != dataset.owner_org:
        authz.require_org_role(ctx, org, authz.EDIT_ROLES)
    _free_name(ctx, name, dataset.id)
    dataset.name = name
    for key in TEXT_FIELDS:
        setattr(dataset, key, _text(data.get(key)))
    dataset.title = dataset.title or name
    for key in ("title_translated", "notes_translated"):
        given = data.get(key)
        if isinstance(given, str):
            given = json.loads(given) if given.strip() else {}
        setattr(dataset, key, dict(given or {}))
    if dataset.title_translated and "de" in dataset.title_translated and not data.get("title"):
        dataset.title = dataset.title_translated["de"]
    dataset.owner_org = org.id
    dataset.private = private
    dataset.license_id = license_id
    dataset.state = state
    dataset.tags = _tag_objects(ctx, tags or [])
    dataset.extras = extras or {}
    dataset.themes = themes or []
    # package_patch sends `resources: None` to keep them; package_update without the key
    # empties a dataset the API owns (CKAN <= 2.11), never a pipeline's.
    if resources is not None or (not dataset.pipeline and "resources" not in data):
        _apply_resources(ctx, dataset, [dict(r) for r in resources or []], uploads)
    dataset.metadata_modified = utcnow()


def _apply_resources(
    ctx: Context, dataset: Dataset, items: list[dict[str, Any]], uploads: _Uploads
) -> None:
    """Make the dataset's resources the given list (by id: kept, changed, new, deleted)."""
    current = {r.id: r for r in dataset.resources if r.state == "active"}
    keep: list[Resource] = []
    for position, item in enumerate(items):
        resource = current.pop(str(item.get("id") or ""), None)
        if resource is not None and resource.key and dataset.pipeline:
            _refuse_pipeline_change(dataset, resource, item)
        elif resource is None:
            wanted = str(item.get("id") or "")
            free = bool(wanted) and ctx.session.get(Resource, wanted) is None
            resource = Resource(id=wanted if free else new_id(), dataset_id=dataset.id)
            _apply_resource(resource, item, replace=True, dataset=dataset, uploads=uploads)
        else:
            _apply_resource(resource, item, replace=True, dataset=dataset, uploads=uploads)
        resource.position = position
        keep.append(resource)
    for resource in current.values():
        if resource.key and dataset.pipeline:
            raise ValidationError(
                {
                    "resources": [
                        f"Resource {resource.name or resource.id} is published by pipeline "
                        f"`{dataset.pipeline}` and cannot be removed through the API; send the "
                        "dataset's resources back unchanged (package_patch without "
                        "`resources` changes metadata only)"
                    ]
                }
            )
        if resource.storage_key and resource.storage_key.startswith("uploads/"):
            uploads.obsolete.append(resource.storage_key)
    dataset.resources = keep


def _refuse_pipeline_change(dataset: Dataset, resource: Resource, item: Mapping[str, Any]) -> None:
    stored = resource_dict(resource, "")
    changed = []
    for key in ("name", "description", "format"):
        if key in item and (item[key] or None) != (stored[key] or None):
            changed.append(key)
    if _is_upload(item.get("upload")):
        changed.append("upload")
    url = item.get("url")
    if url and url.rsplit("/", 1)[-1] != (resource.filename or resource.url):
        changed.append("url")
    if changed:
        raise ValidationError(
            {
                "resources": [
                    f"Resource {resource.name or resource.id} is published by pipeline "
                    f"`{dataset.pipeline}`; its {', '.join(changed)} can only change with the "
                    "pipeline (edit pipelines/{}.yaml and run it)".format(dataset.pipeline)
                ]
            }
        )


def _apply_resource(
    resource: Resource,
    item: Mapping[str, Any],
    *,
    replace: bool,
    dataset: Dataset,
    uploads: _Uploads,
) -> None:
    upload = item.get("upload")
    was_upload = resource.url_type == "upload"
    if replace:
        for key in ("name", "description", "mimetype"):
            setattr(resource, key, _text(item.get(key)))
    else:
        for key in ("name", "description", "mimetype"):
            if key in item:
                setattr(resource, key, _text(item[key]))
    if _is_upload(upload):
        uploads.store(upload, dataset, resource)
    elif "url" in item or replace:
        url = str(item.get("url") or "")
        if (
            was_upload
            and resource.filename
            and (url == "" and not replace or url.rsplit("/", 1)[-1] == resource.filename)
        ):
            pass  # a round trip of an upload keeps the stored file
        else:
            if was_upload and resource.storage_key and resource.storage_key.startswith("uploads/"):
                uploads.obsolete.append(resource.storage_key)
            if url and "://" not in url and not url.startswith("/"):
                url = f"http://{url}"
            resource.url, resource.url_type = url, None
            resource.storage_key = resource.filename = None
            resource.size = resource.hash = None
    if "format" in item or replace or not resource.format:
        resource.format = normalise_format(
            _text(item.get("format")), resource.filename or resource.url
        )
    if resource.mimetype is None:
        resource.mimetype = _mimetype(resource.filename or resource.url)
    checksum = (resource.extras or {}).get("checksum")
    extras = {} if replace else dict(resource.extras or {})
    for key, value in item.items():
        if key not in RESOURCE_READ_ONLY and key not in RESOURCE_FIELDS:
            extras[key] = value
    extras.pop("checksum", None)
    if resource.url_type == "upload" and checksum:
        extras["checksum"] = checksum  # the stored file's sha1, computed on upload
    resource.extras = extras
    resource.metadata_modified = utcnow()


def _finish(ctx: Context, dataset: Dataset, activity: str) -> dict[str, Any]:
    index_dataset(ctx.session, dataset)
    result = package_dict(dataset, _site(ctx))
    user = authz.caller(ctx)
    record_activity(ctx.session, dataset.id, activity, user.id if user else None, result)
    return result


def package_create(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Create a dataset: `name`, `owner_org` and any dataset key; returns the dataset dict."""
    user = authz.require_user(ctx, "package_create")
    org_ref = data.get("owner_org")
    if org_ref:
        org = ctx.session.scalar(
            select(Organization).where(
                (Organization.id == str(org_ref)) | (Organization.name == str(org_ref))
            )
        )
        if org is not None:
            authz.require_org_role(ctx, org, authz.EDIT_ROLES)
    elif not authz.is_sysadmin(ctx) and not authz.edit_scope(ctx):
        raise NotAuthorized("User not authorized to create packages")
    with _writing(ctx) as uploads:
        wanted = str(data.get("id") or "")
        free = bool(wanted) and authz.is_sysadmin(ctx) and ctx.session.get(Dataset, wanted) is None
        dataset = Dataset(
            id=wanted if free else new_id(), creator_user_id=user.id if user else None
        )
        dataset.resources = []
        with ctx.session.no_autoflush:
            _apply_dataset(ctx, dataset, data, uploads, creating=True)
        ctx.session.add(dataset)
        ctx.session.flush()
        result = _finish(ctx, dataset, "new package")
    return result


def _editable(ctx: Context, data: Mapping[str, Any], action: str) -> Dataset:
    ref = data.get("id") or data.get("name")
    if not ref:
        raise ValidationError({"id": ["Missing value"]})
    dataset = _get_dataset(ctx, str(ref))
    authz.require_edit(ctx, dataset)
    return dataset


def package_update(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Replace a dataset with `data` (keys not given are emptied); returns the dataset dict."""
    dataset = _editable(ctx, data, "package_update")
    with _writing(ctx) as uploads:
        _apply_dataset(ctx, dataset, data, uploads, creating=False)
        result = _finish(ctx, dataset, "changed package")
    return result


def package_patch(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Change the given keys of a dataset only; a list given replaces the whole list."""
    dataset = _editable(ctx, data, "package_patch")
    current = package_dict(dataset, _site(ctx))
    merged = {**current, **{k: v for k, v in data.items() if k != "id"}}
    merged["id"] = dataset.id
    if "resources" not in data:
        merged.pop("resources", None)
        merged["_keep_resources"] = True
    with _writing(ctx) as uploads:
        if merged.pop("_keep_resources", False):
            _apply_dataset(ctx, dataset, {**merged, "resources": None}, uploads, creating=False)
        else:
            _apply_dataset(ctx, dataset, merged, uploads, creating=False)
        result = _finish(ctx, dataset, "changed package")
    return result


def package_delete(ctx: Context, data: Mapping[str, Any]) -> None:
    """Soft-delete a dataset: state `deleted`, gone from search and lists."""
    dataset = _get_dataset(ctx, _required(data, "id"))
    authz.require_edit(ctx, dataset)
    with _writing(ctx):
        dataset.state = "deleted"
        dataset.metadata_modified = utcnow()
        _finish(ctx, dataset, "deleted package")
    return None


def dataset_purge(ctx: Context, data: Mapping[str, Any]) -> None:
    """Remove a dataset and its uploaded files for good (sysadmins only)."""
    dataset = _get_dataset(ctx, _required(data, "id"))
    authz.require_sysadmin(ctx, "dataset_purge")
    if dataset.pipeline:
        raise Conflict(
            f"Dataset {dataset.name} is published by pipeline "
            f"`{dataset.pipeline}`; remove the pipeline file first"
        )
    with _writing(ctx) as uploads:
        for resource in dataset.resources:
            if resource.storage_key and resource.storage_key.startswith("uploads/"):
                uploads.obsolete.append(resource.storage_key)
        dataset_id = dataset.id
        dataset.state = "deleted"
        index_dataset(ctx.session, dataset)
        ctx.session.delete(dataset)
        record_activity(ctx.session, dataset_id, "deleted package", None, {"id": dataset_id})
    return None


# -- resources ----------------------------------------------------------------------------


def _resource(ctx: Context, data: Mapping[str, Any]) -> Resource:
    resource = ctx.session.get(Resource, _required(data, "id"))
    if resource is None or resource.state != "active":
        raise NotFound("Resource was not found.")
    authz.require_edit(ctx, resource.dataset)
    return resource


def _guard_pipeline(resource: Resource, action: str) -> None:
    dataset = resource.dataset
    if resource.key and dataset.pipeline:
        raise Conflict(
            f"Resource {resource.name or resource.id} is published by pipeline "
            f"`{dataset.pipeline}` and cannot be changed with {action}; edit "
            f"pipelines/{dataset.pipeline}.yaml and run the pipeline"
        )


def resource_create(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Add a resource to `package_id`: a link (`url`) or a multipart `upload`."""
    dataset = _get_dataset(ctx, _required(data, "package_id"))
    authz.require_edit(ctx, dataset)
    with _writing(ctx) as uploads:
        resource = Resource(id=new_id(), dataset_id=dataset.id)
        resource.position = len([r for r in dataset.resources if r.state == "active"])
        _apply_resource(resource, data, replace=True, dataset=dataset, uploads=uploads)
        dataset.resources.append(resource)
        dataset.metadata_modified = utcnow()
        ctx.session.flush()
        _finish(ctx, dataset, "changed package")
        result = resource_dict(resource, _site(ctx))
    return result


def resource_update(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Replace a resource with `data` (keys not given are emptied); optional new `upload`."""
    resource = _resource(ctx, data)
    _guard_pipeline(resource, "resource_update")
    with _writing(ctx) as uploads:
        _apply_resource(resource, data, replace=True, dataset=resource.dataset, uploads=uploads)
        resource.dataset.metadata_modified = utcnow()
        _finish(ctx, resource.dataset, "changed package")
        result = resource_dict(resource, _site(ctx))
    return result


def resource_patch(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Change the given keys of a resource; an `upload` replaces its file."""
    resource = _resource(ctx, data)
    _guard_pipeline(resource, "resource_patch")
    with _writing(ctx) as uploads:
        _apply_resource(resource, data, replace=False, dataset=resource.dataset, uploads=uploads)
        resource.dataset.metadata_modified = utcnow()
        _finish(ctx, resource.dataset, "changed package")
        result = resource_dict(resource, _site(ctx))
    return result


def resource_delete(ctx: Context, data: Mapping[str, Any]) -> None:
    """Remove a resource from its dataset (its uploaded file is deleted)."""
    resource = _resource(ctx, data)
    _guard_pipeline(resource, "resource_delete")
    dataset = resource.dataset
    with _writing(ctx) as uploads:
        if resource.storage_key and resource.storage_key.startswith("uploads/"):
            uploads.obsolete.append(resource.storage_key)
        dataset.resources = [r for r in dataset.resources if r.id != resource.id]
        for position, other in enumerate(r for r in dataset.resources if r.state == "active"):
            other.position = position
        dataset.metadata_modified = utcnow()
        _finish(ctx, dataset, "changed package")
    return None


# -- organisations and members ------------------------------------------------------------


def _apply_org(ctx: Context, org: Organization, data: Mapping[str, Any], replace: bool) -> None:
    errors: dict[str, list[str]] = {}
    name = str(data.get("name", org.name) or "")
    if not name:
        errors["name"] = ["Missing value"]
    elif not NAME_RE.match(name) or not 2 <= len(name) <= 100:
        errors["name"] = [NAME_MESSAGE]
    else:
        other = ctx.session.scalar(select(Organization).where(Organization.name == name))
        if other is not None and other.id != org.id:
            errors["name"] = ["Group name already exists in database"]
    if errors:
        raise ValidationError(errors)
    org.name = name
    for key in ("title", "description", "image_url"):
        if key in data or replace:
            setattr(org, key, str(data.get(key) or ""))
    org.title = org.title or name
    for key in ("title_translated", "description_translated"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            value = json.loads(value)
        if isinstance(value, Mapping):
            setattr(org, key, dict(value))
    extras = _listish(data, "extras")
    for item in extras or []:
        if isinstance(item, Mapping) and item.get("key") in ("email", "url"):
            setattr(org, str(item["key"]), _text(item.get("value")))


def organization_create(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Create an organisation (`name`, `title`, `description`, `image_url`); the creator
    becomes its admin. Sysadmins only by default."""
    user = authz.require_user(ctx, "organization_create")
    authz.require_sysadmin(ctx, "organization_create")
    with _writing(ctx):
        org = Organization(id=new_id(), name="")
        _apply_org(ctx, org, {"name": None, **data} if "name" not in data else data, True)
        ctx.session.add(org)
        ctx.session.flush()
        if user is not None:
            authz.set_member(ctx.session, org, user, "admin")
        result = organization_dict(org, 0)
    return result


def organization_update(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Replace an organisation's metadata (admins of it and sysadmins)."""
    return _org_write(ctx, data, replace=True)


def organization_patch(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Change the given keys of an organisation."""
    return _org_write(ctx, data, replace=False)


def _org_write(ctx: Context, data: Mapping[str, Any], replace: bool) -> dict[str, Any]:
    org = authz.ensure_org(ctx.session, _required(data, "id"))
    authz.require_org_role(ctx, org, frozenset({"admin"}))
    with _writing(ctx):
        _apply_org(ctx, org, data, replace)
        for dataset in ctx.session.scalars(select(Dataset).where(Dataset.owner_org == org.id)):
            index_dataset(ctx.session, dataset)
        result = organization_dict(org)
    return result


def organization_delete(ctx: Context, data: Mapping[str, Any]) -> None:
    """Delete an organisation that owns no active dataset (sysadmins)."""
    org = authz.ensure_org(ctx.session, _required(data, "id"))
    authz.require_sysadmin(ctx, "organization_delete")
    owned = ctx.session.scalar(
        select(Dataset.name).where(Dataset.owner_org == org.id, Dataset.state != "deleted")
    )
    if owned is not None:
        raise Conflict(f"Organization {org.name} still owns datasets (e.g. {owned})")
    with _writing(ctx):
        org.state = "deleted"
    return None


def organization_member_create(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Give user `username` the `role` (member, editor, admin) in organisation `id`."""
    org = authz.ensure_org(ctx.session, _required(data, "id"))
    authz.require_org_role(ctx, org, frozenset({"admin"}))
    user = authz.get_user(ctx.session, _required(data, "username"))
    role = str(data.get("role") or "member")
    with _writing(ctx):
        authz.set_member(ctx.session, org, user, role)
    return {"group_id": org.id, "table_id": user.id, "capacity": role, "state": "active"}


def organization_member_delete(ctx: Context, data: Mapping[str, Any]) -> None:
    """Take user `username` out of organisation `id`."""
    org = authz.ensure_org(ctx.session, _required(data, "id"))
    authz.require_org_role(ctx, org, frozenset({"admin"}))
    user = authz.get_user(ctx.session, _required(data, "username"))
    with _writing(ctx):
        authz.remove_member(ctx.session, org, user)
    return None


def member_create(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """CKAN's generic form: `id` (organisation), `object` (user), `object_type` user,
    `capacity`."""
    if str(data.get("object_type") or "user") != "user":
        raise ValidationError({"object_type": ["Only users can be members here"]})
    return organization_member_create(
        ctx,
        {
            "id": _required(data, "id"),
            "username": _required(data, "object"),
            "role": data.get("capacity") or "member",
        },
    )


WRITE: dict[str, Callable[[Context, Mapping[str, Any]], Any]] = {
    "package_create": package_create,
    "package_update": package_update,
    "package_patch": package_patch,
    "package_delete": package_delete,
    "dataset_purge": dataset_purge,
    "resource_create": resource_create,
    "resource_update": resource_update,
    "resource_patch": resource_patch,
    "resource_delete": resource_delete,
    "organization_create": organization_create,
    "organization_update": organization_update,
    "organization_patch": organization_patch,
    "organization_delete": organization_delete,
    "organization_member_create": organization_member_create,
    "organization_member_delete": organization_member_delete,
    "member_create": member_create,
}
