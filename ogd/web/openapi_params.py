"""The parameter table of the OpenAPI document: every action of the CKAN contract.

`ACTION_SPECS` lists each action of `reference/ckan-api.md` (sections 5, 6 and 7) with
its parameters (name, type, default, cap, required) and its result schema; `TAGS` groups
them. `ogd.web.openapi` turns the table into the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPENAPI_VERSION = "3.1.0"
DOCUMENT_PATH = "/api/openapi.json"
SECURITY_SCHEME = "ApiToken"
UPLOAD_ACTIONS = frozenset({"resource_create", "resource_update", "resource_patch"})
RESPONSE_NAMES = {
    "400": "BadRequest",
    "403": "Forbidden",
    "404": "NotFound",
    "409": "Conflict",
    "500": "ServerError",
}
ERROR_STATUSES = tuple(RESPONSE_NAMES)
Schema = dict[str, Any]
STR: Schema = {"type": "string"}
OPT_STR: Schema = {"type": ["string", "null"]}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
NULL: Schema = {"type": "null"}
STAMP: Schema = {"type": ["string", "null"], "description": "naive UTC, `isoformat()`"}


@dataclass(frozen=True)
class Param:
    """One action parameter: JSON Schema of its value in a JSON body, and its meaning."""

    name: str
    schema: Mapping[str, Any]
    text: str
    required: bool = False
    json_text: bool = False  # a query string carries it as JSON text
    form_only: bool = False  # only in a multipart form (the file part `upload`)

    @property
    def kind(self) -> str:
        """The type for people: `string`, `integer`, `boolean`, `array`, `object`, `any`."""
        kind = self.schema.get("type", "any")
        return kind if isinstance(kind, str) else " | ".join(kind)

    @property
    def default(self) -> Any:
        """The default value, or None."""
        return self.schema.get("default")

    @property
    def cap(self) -> Any:
        """The largest value taken (larger ones are capped), or None."""
        return self.schema.get("maximum")


@dataclass(frozen=True)
class ActionSpec:
    """What the reference says about one action."""

    tag: str
    params: tuple[Param, ...] = ()
    result: Mapping[str, Any] | None = None
    write: bool = False


# -- parameter helpers --------------------------------------------------------------------


def text(name: str, doc: str, default: str | None = None, *, required: bool = False) -> Param:
    """A string parameter."""
    schema: Schema = {"type": "string"}
    if default is not None:
        schema["default"] = default
    return Param(name, schema, doc, required=required)


def choice(
    name: str,
    doc: str,
    values: tuple[str, ...],
    default: str | None = None,
    *,
    required: bool = False,
) -> Param:
    """A string parameter with a fixed set of values."""
    schema: Schema = {"type": "string", "enum": list(values)}
    if default is not None:
        schema["default"] = default
    return Param(name, schema, doc, required=required)


def natural(name: str, doc: str, default: int | None = None, cap: int | None = None) -> Param:
    """A natural number; values above `cap` are silently capped (CKAN's behaviour)."""
    schema: Schema = {"type": "integer", "minimum": 0}
    if default is not None:
        schema["default"] = default
    if cap is not None:
        schema["maximum"] = cap
        doc = f"{doc} (values above {cap} are capped to {cap})"
    return Param(name, schema, doc)


def integer(name: str, doc: str, default: int) -> Param:
    """An integer that may be negative."""
    return Param(name, {"type": "integer", "default": default}, doc)


def flag(name: str, doc: str, default: bool) -> Param:
    """A boolean (`true`, `1`, `yes`, `on` in a query string)."""
    return Param(name, {"type": "boolean", "default": default}, doc)


def strings(name: str, doc: str, *, json_text: bool = False) -> Param:
    """A list of strings: repeated in a query string, or one JSON list when `json_text`."""
    return Param(name, {"type": "array", "items": {"type": "string"}}, doc, json_text=json_text)


def structured(name: str, doc: str, schema: Schema, *, json_text: bool = True) -> Param:
    """An object or list, sent as JSON text in a query string."""
    return Param(name, schema, doc, json_text=json_text)


def ref(name: str) -> Schema:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: Schema) -> Schema:
    """A list schema."""
    return {"type": "array", "items": items}


ID = text("id", "id or name", required=True)
PAGING = (
    natural("limit", "the most entries to return (none: all)"),
    natural("offset", "entries to skip", 0),
)
NAME_LIST = array({"type": "string"})
KEY_VALUES = array(
    {"type": "object", "properties": {"key": {"type": "string"}, "value": {"type": "string"}}}
)
DATASET_FIELDS = (
    text("title", "title (defaults to the name)"),
    text("notes", "description (Markdown)"),
    text("owner_org", "organisation id or name"),
    text("license_id", "licence id from `license_list`"),
    text("url", "source page"),
    text("version", "version (at most 100 characters)"),
    text("author", "author"),
    text("author_email", "author's e-mail"),
    text("maintainer", "maintainer"),
    text("maintainer_email", "maintainer's e-mail"),
    flag("private", "visible to organisation members only", False),
    choice("state", "state", ("active", "draft", "deleted")),
    structured(
        "tags", "free tags", array({"type": "object", "properties": {"name": {}}}), json_text=False
    ),
    structured("extras", "extra fields, sorted by key", KEY_VALUES, json_text=False),
    structured("groups", "themes by `name` or `id`", array({"type": "object"}), json_text=False),
    structured("resources", "the full list of resources", array(ref("Resource")), json_text=False),
)
RESOURCE_FIELDS = (
    text("url", "link to the data; empty for an upload", ""),
    text("name", "name"),
    text("description", "description"),
    text("format", "format (`CSV`, `JSON` …; guessed from the file name when empty)"),
    text("mimetype", "media type (guessed from the file name when empty)"),
    Param("upload", {"type": "string", "format": "binary"}, "the file", form_only=True),
)
ORG_FIELDS = (
    text("title", "title"),
    text("description", "description"),
    text("image_url", "logo URL"),
    structured("extras", "extra fields", KEY_VALUES, json_text=False),
)


def group_list_params(plural: str) -> tuple[Param, ...]:
    """The parameters of `organization_list` and `group_list`."""
    return (
        text("sort", "`name`, `title` or `package_count`, then `asc` or `desc`", "title asc"),
        natural("limit", "the most entries (1000, or 25 with `all_fields`)"),
        natural("offset", "entries to skip", 0),
        text("q", "keep entries whose name or title contains this text"),
        strings(plural, "only these names"),
        flag("all_fields", "dicts instead of names", False),
        flag("include_dataset_count", "add `package_count`", True),
        flag("include_extras", "add `extras` (with `all_fields`)", False),
        flag("include_users", "add `users` (with `all_fields`)", False),
        flag("include_groups", "add `groups` (with `all_fields`)", False),
    )


def group_show_params() -> tuple[Param, ...]:
    """The parameters of `organization_show` and `group_show`."""
    return (
        ID,
        flag("include_datasets", "add `packages`, the first 10 datasets", False),
        flag("include_dataset_count", "add `package_count`", True),
        flag("include_extras", "add `extras`", True),
        flag("include_users", "add `users`", True),
        flag("include_groups", "add `groups`", True),
        flag("include_followers", "add `num_followers`", True),
    )


DATASTORE_SEARCH = (
    text("resource_id", "resource id (alias `id`)", required=True),
    structured(
        "filters", "exact matches `{column: value}` or `{column: [v1, v2]}`", {"type": "object"}
    ),
    Param("q", {"type": ["string", "object"]}, "full text over all columns, or `{column: text}`"),
    text("full_text", "full text over all columns"),
    flag("distinct", "SELECT DISTINCT", False),
    flag("plain", "plain text query (`false`: tsquery syntax)", True),
    text("language", "text-search language", "english"),
    Param(
        "fields",
        {"type": ["array", "string"], "items": {"type": "string"}},
        "columns to return (list or comma-separated)",
    ),
    text("sort", "`column [asc|desc]`, comma-separated", "_id"),
    natural("limit", "rows per page", 100, 32000),
    natural("offset", "rows to skip", 0),
    choice("records_format", "shape of `records`", ("objects", "lists", "csv", "tsv"), "objects"),
    flag("include_total", "add `total`", True),
)
PACKAGE_SEARCH = (
    text("q", "free text; `field:value` makes it a filter query", "*:*"),
    text("fq", "filter query (Solr subset: `field:value`, AND, OR, ranges)", ""),
    strings("fq_list", "more filter queries, all must match"),
    natural("rows", "results per page", 10, 1000),
    natural("start", "results to skip", 0),
    text("sort", "comma-separated `field asc|desc`", "score desc, metadata_modified desc"),
    flag("facet", "`false` turns facets off", True),
    strings("facet.field", "fields to count, as a JSON list", json_text=True),
    integer("facet.limit", "values per facet; negative: all", 50),
    integer("facet.mincount", "smallest count listed", 1),
    flag("include_private", "add private datasets the caller may read", False),
    flag("include_drafts", "add the caller's drafts", False),
    flag("include_deleted", "add deleted datasets (sysadmins)", False),
    flag("use_default_schema", "use the default dataset schema", False),
)
GROUPS: Schema = array({"oneOf": [STR, ref("Organization")]})

RID = text("id", "resource id", required=True)
NAME = text("name", "URL name: 2-100 of `a-z0-9_-`")
NEW_NAME = text("name", "URL name: 2-100 of `a-z0-9_-`", required=True)
ORG_ID = text("id", "organisation id or name", required=True)
USERNAME = text("username", "user name or id", required=True)
ROLES = ("member", "editor", "admin")


def read(tag: str, params: tuple[Param, ...] = (), result: Schema | None = None) -> ActionSpec:
    """A read action: GET and POST."""
    return ActionSpec(tag, params, result)


def write(tag: str, params: tuple[Param, ...], result: Schema = NULL) -> ActionSpec:
    """A write action: POST only, with a token."""
    return ActionSpec(tag, params, result, write=True)


ACTION_SPECS: Mapping[str, ActionSpec] = {
    # site
    "status_show": read("Site", (), ref("Status")),
    "site_read": read("Site", (), BOOL),
    "help_show": read("Site", (text("name", "action name", required=True),), STR),
    # datasets
    "package_list": read("Datasets", PAGING, array(STR)),
    "current_package_list_with_resources": read(
        "Datasets", (*PAGING, natural("page", "page number (deprecated)")), array(ref("Dataset"))
    ),
    "package_show": read(
        "Datasets", (ID, flag("use_default_schema", "default schema", False)), ref("Dataset")
    ),
    "package_search": read("Datasets", PACKAGE_SEARCH, ref("SearchResult")),
    "package_autocomplete": read(
        "Datasets",
        (
            text("q", "start of a name or title", required=True),
            natural("limit", "matches", 10, 100),
        ),
        array(ref("Autocomplete")),
    ),
    "recently_changed_packages_activity_list": read(
        "Datasets",
        (natural("offset", "entries to skip", 0), natural("limit", "the most entries", 31, 100)),
        array(ref("Activity")),
    ),
    "release_list": read("Datasets", (ID,), array(ref("Release"))),
    "package_create": write("Datasets", (NEW_NAME, *DATASET_FIELDS), ref("Dataset")),
    "package_update": write("Datasets", (ID, NAME, *DATASET_FIELDS), ref("Dataset")),
    "package_patch": write("Datasets", (ID, NAME, *DATASET_FIELDS), ref("Dataset")),
    "package_delete": write("Datasets", (ID,)),
    "dataset_purge": write("Datasets", (ID,)),
    # resources
    "resource_show": read("Resources", (RID,), ref("Resource")),
    "resource_create": write(
        "Resources",
        (text("package_id", "dataset id or name", required=True), *RESOURCE_FIELDS),
        ref("Resource"),
    ),
    "resource_update": write("Resources", (RID, *RESOURCE_FIELDS), ref("Resource")),
    "resource_patch": write("Resources", (RID, *RESOURCE_FIELDS), ref("Resource")),
    "resource_delete": write("Resources", (RID,)),
    # organisations
    "organization_list": read("Organisations", group_list_params("organizations"), GROUPS),
    "organization_show": read("Organisations", group_show_params(), ref("Organization")),
    "organization_list_for_user": read(
        "Organisations",
        (
            text("id", "user id or name (default: the caller)"),
            text("permission", "permission to hold (`create_dataset`)", "manage_group"),
        ),
        array(ref("Organization")),
    ),
    "organization_create": write("Organisations", (NEW_NAME, *ORG_FIELDS), ref("Organization")),
    "organization_update": write("Organisations", (ID, NAME, *ORG_FIELDS), ref("Organization")),
    "organization_patch": write("Organisations", (ID, NAME, *ORG_FIELDS), ref("Organization")),
    "organization_delete": write("Organisations", (ID,)),
    "organization_member_create": write(
        "Organisations",
        (ORG_ID, USERNAME, choice("role", "role", ROLES, "member")),
        ref("Member"),
    ),
    "organization_member_delete": write("Organisations", (ORG_ID, USERNAME)),
    "member_create": write(
        "Organisations",
        (
            text("id", "group or organisation id or name", required=True),
            text("object", "id or name of the member", required=True),
            choice("object_type", "kind of member (users only)", ("user",), "user"),
            choice("capacity", "the user's role", ROLES, "member"),
        ),
        ref("Member"),
    ),
    # groups (themes)
    "group_list": read("Groups", group_list_params("groups"), GROUPS),
    "group_show": read("Groups", group_show_params(), ref("Group")),
    # tags, licences, users
    "tag_list": read(
        "Tags and licences",
        (
            text("query", "keep tags containing this text (alias `q`)"),
            text("vocabulary_id", "vocabulary (none: free tags)"),
            flag("all_fields", "dicts instead of names", False),
        ),
        array({"oneOf": [STR, ref("Tag")]}),
    ),
    "tag_show": read(
        "Tags and licences", (ID, flag("include_datasets", "add `packages`", False)), ref("Tag")
    ),
    "license_list": read("Tags and licences", (), array(ref("License"))),
    "user_show": read("Users", (text("id", "user id or name (default: the caller)"),), ref("User")),
    # DataStore
    "datastore_search": read("DataStore", DATASTORE_SEARCH, ref("DatastoreSearchResult")),
    "datastore_search_sql": read(
        "DataStore",
        (text("sql", "one SELECT; tables are resource ids in double quotes", required=True),),
        ref("DatastoreSqlResult"),
    ),
    "datastore_info": read(
        "DataStore",
        (text("id", "resource id (alias `resource_id`)", required=True),),
        ref("DatastoreInfo"),
    ),
}
TAGS = (
    ("Site", "Site information and action help"),
    ("Datasets", "Datasets (CKAN packages): lists, search, changes"),
    ("Resources", "The files and links of a dataset"),
    ("Organisations", "Publishing departments and their members"),
    ("Groups", "Themes (CKAN groups)"),
    ("Tags and licences", "Free tags and terms of use"),
    ("Users", "Accounts"),
    ("DataStore", "Queries over the tables of published files"),
    ("Downloads", "Files and table dumps"),
    ("Other", "Actions without a parameter table"),
)
