"""**I/O** Mirror datasets of this instance to an external CKAN through ckanapi.

`push_datasets` reads the catalogue through the action functions (as the site user) and
drives the target's Action API with `ckanapi.RemoteCKAN`:

- the dataset's organisation is looked up on the target by name and created there when
  missing (if the token may);
- the dataset is looked up by name: `package_create` when missing, `package_update` (with
  the target's own resources sent back) when its metadata differs, nothing otherwise;
- resources are matched by name: uploaded files go up with `resource_create` /
  `resource_patch` and a multipart `upload` (read from this instance's storage) only
  when their hash or size differ; links are sent as links; resources the source no
  longer has are deleted on the target.

A second push of unchanged datasets therefore makes no write call. The API token is
only handed to ckanapi: it never appears in a message, a log line or an error.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

import ckanapi
import requests

from ogd import __version__
from ogd.catalog import actions, authz
from ogd.catalog.dictize import DATASET_TEXT_FIELDS
from ogd.catalog.models import Resource
from ogd.errors import NotFound, OgdError, PublishError

if TYPE_CHECKING:
    from ogd.instance import Instance

COMPUTED_EXTRAS = frozenset({actions.QUALITY_EXTRA})  # each portal measures its own; never sent
log = logging.getLogger(__name__)

TEXT_FIELDS = (*DATASET_TEXT_FIELDS, "license_id")
TRANSLATED_FIELDS = ("title_translated", "notes_translated")
# Extensions whose datasets carry the `*_translated` dicts (this portal, ckanext-fluent).
TRANSLATING_EXTENSIONS = frozenset({"ogd", "fluent", "scheming_datasets"})
RESOURCE_FIELDS = ("name", "description", "format")
# Resource keys the target computes or owns: never sent, never compared.
RESOURCE_OWN_KEYS = frozenset(
    {
        "id",
        "package_id",
        "url",
        "url_type",
        "name",
        "description",
        "format",
        "mimetype",
        "mimetype_inner",
        "hash",
        "size",
        "position",
        "state",
        "resource_type",
        "cache_url",
        "cache_last_updated",
        "created",
        "last_modified",
        "metadata_modified",
        "datastore_active",
        "rows",
        "tracking_summary",
    }
)
TIMEOUT = 120.0


class PushError(PublishError):
    """Pushing to an external CKAN failed."""

    code = "push-error"


class TargetUnreachable(PushError):
    """The target CKAN cannot be reached or does not answer like CKAN: nothing can go on."""

    code = "push-unreachable"


@dataclass
class PushResult:
    """What one dataset's push did: `created`, `updated`, `unchanged` or `failed`."""

    dataset: str
    action: str
    uploaded: int = 0
    error: OgdError | None = None


class Target:
    """A CKAN reached through ckanapi, with the lookups a push repeats."""

    def __init__(self, url: str, token: str, *, token_label: str = "the token") -> None:
        self.url = url.rstrip("/")
        self.token_label = token_label
        self._token = token
        self.ckan = ckanapi.RemoteCKAN(
            self.url, apikey=token, user_agent=f"ogd-push/{__version__} (+ckanapi)"
        )
        self._orgs: set[str] = set()
        self._groups: frozenset[str] | None = None
        self.translations = False

    def close(self) -> None:
        """Close the HTTP session."""
        self.ckan.close()

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def call(
        self,
        action: str,
        data: Mapping[str, Any],
        *,
        where: str = "",
        files: Mapping[str, Any] | None = None,
    ) -> Any:
        """Call `action`; every failure becomes a PushError (TargetUnreachable when fatal).

        Raises:
            NotFound: the target answered 404 (callers that expect it catch it).
        """
        log.info("%s %s %s", self.url, action, where)
        try:
            return self.ckan.call_action(
                action,
                dict(data),
                files=dict(files) if files else None,
                requests_kwargs={"timeout": TIMEOUT},
            )
        except ckanapi.NotFound as exc:
            detail = self._scrub(str(exc or "") or "Not found")
            raise NotFound(
                f"{self.url} answered {action} with 404 ({detail})", where=where
            ) from None
        except ckanapi.NotAuthorized as exc:
            said = exc.extra_msg.get("message") if isinstance(exc.extra_msg, dict) else None
            raise PushError(
                f"{self.url} refused {action} (403 {self._scrub(str(said or 'Access denied'))})",
                where=where,
                hint=f"check that {self.token_label} holds a valid API token of {self.url} "
                "whose user may edit this dataset's organisation there",
            ) from None
        except ckanapi.ValidationError as exc:
            raise PushError(
                f"{self.url} rejected {action}: {self._scrub(_validation_text(exc.error_dict))}",
                where=where,
                hint="correct the field(s) named in the dataset here (pipeline file or "
                "catalogue), or make the value known on the target",
            ) from None
        except (ckanapi.CKANAPIError, ckanapi.ServerIncompatibleError):
            raise TargetUnreachable(
                f"{self.url} did not answer {action} like a CKAN Action API",
                where=where,
                hint="check the --to URL: it is the CKAN's base URL, without /api/3",
            ) from None
        except requests.RequestException as exc:
            reason = type(exc).__name__
            raise TargetUnreachable(
                f"cannot reach {self.url} ({reason})",
                where=self.url,
                hint="check the --to URL and that the CKAN is up and reachable from here",
            ) from None

    def connect(self) -> None:
        """Check that the target answers; learn whether it keeps translated fields."""
        status = self.call("status_show", {}, where=self.url)
        extensions = status.get("extensions") if isinstance(status, Mapping) else None
        self.translations = bool(TRANSLATING_EXTENSIONS & set(extensions or []))
        # An unknown token makes a CKAN caller anonymous, which reads but never writes: an
        # empty list while the target has organisations means a bad token or no rights.
        mine = self.call("organization_list_for_user", {"permission": "create_dataset"})
        if not mine and self.call("organization_list", {"limit": 1}):
            raise PushError(
                f"{self.url} does not let {self.token_label} create datasets in any "
                "organisation: the token is not valid there, or its user is no editor",
                where=self.url,
                hint=f"create an API token on {self.url} for a sysadmin or an editor of the "
                f"organisations to push, and put it in {self.token_label}",
            )

    def groups(self) -> frozenset[str]:
        """Names of the target's groups (asked once)."""
        if self._groups is None:
            self._groups = frozenset(str(g) for g in self.call("group_list", {}) or [])
        return self._groups

    def ensure_org(self, org: Mapping[str, Any], where: str) -> None:
        """Make sure organisation `org["name"]` exists on the target (creating it if allowed).

        Raises:
            PushError: it is missing and the token may not create it.
        """
        name = str(org["name"])
        if name in self._orgs:
            return
        try:
            self.call("organization_show", {"id": name, "include_datasets": False}, where=where)
        except NotFound:
            data = {k: org[k] for k in ("title", "description", "image_url") if org.get(k)}
            if self.translations and org.get("title_translated"):
                data["title_translated"] = org["title_translated"]
            try:
                self.call("organization_create", {"name": name, **data}, where=where)
            except PushError as exc:
                if isinstance(exc, TargetUnreachable):
                    raise
                raise PushError(
                    f"organisation `{name}` does not exist on {self.url} and {self.token_label} "
                    f"may not create it ({exc.message})",
                    where=where,
                    hint=f"ask an administrator of {self.url} to create the organisation "
                    f"`{name}` and make your user an editor of it, or push with a "
                    "sysadmin's token",
                ) from None
            log.info("created organisation %s on %s", name, self.url)
        self._orgs.add(name)


def _validation_text(error: Any) -> str:
    if not isinstance(error, Mapping):
        return str(error)
    parts = []
    for key, value in error.items():
        if key == "__type":
            continue
        messages = value if isinstance(value, list) else [value]
        parts.append(f"{key}: {', '.join(str(m) for m in messages)}")
    return "; ".join(parts) or "invalid input"


# -- comparing ----------------------------------------------------------------------------


def _norm(value: Any) -> Any:
    return None if value in ("", None, {}, []) else value


def _hash(value: Any) -> str:
    text = str(value or "").strip().lower()
    return text.split(":", 1)[1] if text.startswith("sha256:") else text


def desired_dataset(source: Mapping[str, Any], target: Target) -> dict[str, Any]:
    """The metadata to send for a source dataset (a `package_show` dict of this instance)."""
    known = target.groups()
    data: dict[str, Any] = {
        "name": source["name"],
        "owner_org": source["organization"]["name"],
        "private": bool(source.get("private")),
        "state": "active",
        "tags": [{"name": t["name"]} for t in source.get("tags") or []],
        "extras": [
            {"key": e["key"], "value": e["value"]}
            for e in source.get("extras") or []
            if e["key"] not in COMPUTED_EXTRAS
        ],
        "groups": [{"name": g["name"]} for g in source.get("groups") or [] if g["name"] in known],
    }
    for key in TEXT_FIELDS:
        data[key] = source.get(key)
    if target.translations:
        for key in TRANSLATED_FIELDS:
            if source.get(key):
                data[key] = source[key]
    return data


def dataset_changes(desired: Mapping[str, Any], existing: Mapping[str, Any]) -> list[str]:
    """The keys whose values differ between what is sent and the target's dataset."""
    changed = [k for k in TEXT_FIELDS if _norm(desired.get(k)) != _norm(existing.get(k))]
    for key in TRANSLATED_FIELDS:
        if key in desired and _norm(desired[key]) != _norm(existing.get(key)):
            changed.append(key)
    org = existing.get("organization") or {}
    if desired["owner_org"] != org.get("name"):
        changed.append("owner_org")
    if bool(desired["private"]) != bool(existing.get("private")):
        changed.append("private")
    if existing.get("state") != "active":
        changed.append("state")
    pairs = (
        ("tags", lambda items: sorted(str(t["name"]) for t in items)),
        ("groups", lambda items: sorted(str(g["name"]) for g in items)),
        (
            "extras",
            lambda items: sorted(
                (str(e["key"]), str(e["value"])) for e in items if e["key"] not in COMPUTED_EXTRAS
            ),
        ),
    )
    for key, shape in pairs:
        if shape(desired[key]) != shape(existing.get(key) or []):
            changed.append(key)
    return changed


def _resource_fields(source: Mapping[str, Any]) -> dict[str, Any]:
    data = {k: source.get(k) for k in RESOURCE_FIELDS}
    data.update({k: v for k, v in source.items() if k not in RESOURCE_OWN_KEYS})
    return data


def resource_changes(source: Mapping[str, Any], existing: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata fields of a resource that differ on the target (file aside)."""
    return {k: v for k, v in _resource_fields(source).items() if _norm(v) != _norm(existing.get(k))}


def file_differs(source: Mapping[str, Any], existing: Mapping[str, Any]) -> bool:
    """Whether the target's copy of an uploaded file differs (by hash and size)."""
    if existing.get("url_type") != "upload":
        return True
    if not _hash(source.get("hash")) or _hash(source.get("hash")) != _hash(existing.get("hash")):
        return True
    return source.get("size") != existing.get("size")


def link_differs(source: Mapping[str, Any], existing: Mapping[str, Any]) -> bool:
    """Whether the target's link resource points elsewhere (or holds an upload)."""
    return existing.get("url_type") == "upload" or source.get("url") != existing.get("url")


def match_resources(
    source: Sequence[Mapping[str, Any]], existing: Sequence[Mapping[str, Any]]
) -> tuple[list[tuple[Mapping[str, Any], Mapping[str, Any] | None]], list[Mapping[str, Any]]]:
    """Pair source resources with the target's by name (in order); also the unpaired ones."""
    left = list(existing)
    pairs: list[tuple[Mapping[str, Any], Mapping[str, Any] | None]] = []
    for item in source:
        found = next((r for r in left if r.get("name") == item.get("name")), None)
        if found is not None:
            left.remove(found)
        pairs.append((item, found))
    return pairs, left


# -- pushing ------------------------------------------------------------------------------


class _Source:
    """This instance's catalogue and storage, read as the site user."""

    def __init__(self, ctx: actions.Context) -> None:
        self.ctx = ctx

    def names(self, wanted: Sequence[str]) -> list[str]:
        return list(wanted) if wanted else actions.package_list(self.ctx, {})

    def dataset(self, name: str) -> dict[str, Any]:
        try:
            data = actions.package_show(self.ctx, {"id": name})
        except NotFound:
            raise PushError(
                f"no dataset `{name}` in this catalogue",
                where=name,
                hint="name datasets by their slug (see `ckanapi action package_list`)",
            ) from None
        if data["state"] != "active":
            raise PushError(f"dataset `{name}` is {data['state']}, not active", where=name)
        if not data.get("organization"):
            raise PushError(f"dataset `{name}` has no organisation", where=name)
        return data

    def open(self, resource: Mapping[str, Any]) -> tuple[str, BinaryIO]:
        """Filename and an open stream of an uploaded resource's file."""
        row = self.ctx.session.get(Resource, resource["id"])
        storage = self.ctx.storage
        if row is None or not row.storage_key or storage is None:
            raise PushError(
                f"the file of resource `{resource.get('name')}` is not in storage",
                where=str(resource.get("id")),
            )
        filename = row.filename or row.storage_key.rsplit("/", 1)[-1]
        return filename, storage.open(row.storage_key)

    def sha256(self, resource: Mapping[str, Any]) -> str:
        """The file's hash as `sha256:<hex>` (computed when the catalogue lacks it)."""
        if _hash(resource.get("hash")):
            return str(resource["hash"])
        digest = hashlib.sha256()
        _, stream = self.open(resource)
        with stream:
            while block := stream.read(1 << 20):
                digest.update(block)
        return f"sha256:{digest.hexdigest()}"


def _send_resource(
    target: Target,
    action: str,
    data: dict[str, Any],
    upload: tuple[str, BinaryIO] | None,
    where: str,
) -> dict[str, Any]:
    """One resource call; with a file, nested values go in a second (JSON) patch."""
    if upload is None:
        return dict(target.call(action, data, where=where))
    flat = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
    nested = {k: v for k, v in data.items() if isinstance(v, dict | list)}
    with upload[1]:
        result = dict(target.call(action, flat, where=where, files={"upload": upload}))
    if nested:
        result = dict(target.call("resource_patch", {"id": result["id"], **nested}, where=where))
    return result


def _sync_resources(
    target: Target,
    source: _Source,
    package: Mapping[str, Any],
    existing: Mapping[str, Any],
    where: str,
) -> tuple[int, bool]:
    """Make the target dataset's resources those of `package`; (files uploaded, changed)."""
    uploaded, changed = 0, False
    pairs, obsolete = match_resources(package["resources"], existing.get("resources") or [])
    for item, there in pairs:
        is_upload = item.get("url_type") == "upload"
        fields = _resource_fields(item)
        if is_upload:
            item = {**item, "hash": source.sha256(item)}
            fields["hash"] = item["hash"]
        if there is None:
            data = {"package_id": existing["id"], **fields, "mimetype": item.get("mimetype")}
            upload = source.open(item) if is_upload else None
            if not is_upload:
                data["url"] = item.get("url")
            _send_resource(target, "resource_create", data, upload, where)
            uploaded += int(is_upload)
            changed = True
            continue
        patch = resource_changes(item, there)
        new_file = file_differs(item, there) if is_upload else False
        if not is_upload and link_differs(item, there):
            patch.update(url=item.get("url"), url_type=None)
        if not patch and not new_file:
            continue
        if new_file:
            patch.update({k: fields[k] for k in ("hash", *RESOURCE_FIELDS)})
        upload = source.open(item) if new_file else None
        _send_resource(target, "resource_patch", {"id": there["id"], **patch}, upload, where)
        uploaded += int(new_file)
        changed = True
    for there in obsolete:
        target.call("resource_delete", {"id": there["id"]}, where=where)
        changed = True
    if changed:
        _reorder(target, package, existing["id"], where)
    return uploaded, changed


def _reorder(target: Target, package: Mapping[str, Any], dataset_id: str, where: str) -> None:
    """Put the target's resources in the source's order (a resource created late ends last)."""
    fresh = target.call("package_show", {"id": dataset_id}, where=where)
    current = list(fresh.get("resources") or [])
    pairs, rest = match_resources(package["resources"], current)
    wanted = [there for _, there in pairs if there is not None] + rest
    if [r["id"] for r in wanted] != [r["id"] for r in current]:
        target.call("package_patch", {"id": dataset_id, "resources": wanted}, where=where)


def push_dataset(target: Target, source: _Source, name: str) -> PushResult:
    """Mirror one dataset; failures come back in the result (TargetUnreachable is raised)."""
    try:
        package = source.dataset(name)
        target.ensure_org(package["organization"], name)
        desired = desired_dataset(package, target)
        try:
            existing = target.call("package_show", {"id": name}, where=name)
        except NotFound:
            existing = None
        if existing is None:
            created = target.call("package_create", desired, where=name)
            uploaded, _ = _sync_resources(target, source, package, created, name)
            return PushResult(name, "created", uploaded)
        action = "unchanged"
        changes = dataset_changes(desired, existing)
        if changes:
            log.info("%s: changed on the target: %s", name, ", ".join(changes))
            data = {**desired, "id": existing["id"], "resources": existing.get("resources") or []}
            existing = target.call("package_update", data, where=name)
            action = "updated"
        uploaded, changed = _sync_resources(target, source, package, existing, name)
        return PushResult(name, "updated" if changed else action, uploaded)
    except TargetUnreachable:
        raise
    except OgdError as exc:
        return PushResult(name, "failed", error=exc)


def push_datasets(
    instance: Instance,
    url: str,
    token: str,
    names: Sequence[str] = (),
    *,
    token_label: str = "the token",
) -> Iterator[PushResult]:
    """Push the datasets `names` (all active public ones when empty) to the CKAN at `url`.

    Results come one per dataset, as each is done.

    Raises:
        TargetUnreachable: the target cannot be reached or is no CKAN (nothing more done).
    """
    target = Target(url, token, token_label=token_label)
    try:
        target.connect()
        with instance.sessions() as session:
            ctx = actions.Context(
                session, instance.settings, user=authz.SITE_USER, storage=instance.storage
            )
            source = _Source(ctx)
            for name in source.names(names):
                yield push_dataset(target, source, name)
    finally:
        target.close()
