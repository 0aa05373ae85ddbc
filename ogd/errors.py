"""The one exception hierarchy: each failure carries message, where, hint and code."""

from __future__ import annotations


class OgdError(Exception):
    """Base of every error the platform raises on purpose.

    Attributes:
        message: what went wrong, for the person who can fix it.
        where: file and key path, row and field, or URL ("" when not known).
        hint: the next step.
        code: a stable identifier for logs and tests.
    """

    code = "ogd-error"

    def __init__(self, message: str, *, where: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.hint:
            parts.append(f"({self.hint})")
        return " ".join(parts)


class ConfigError(OgdError):
    """A setting is missing or invalid."""

    code = "config-error"


class SpecError(OgdError):
    """A pipeline, schema or catalogue file is malformed or refers to something missing."""

    code = "spec-error"


class SpecErrors(SpecError):
    """Several spec errors found at once (`ogd check` reports them all)."""

    code = "spec-errors"

    def __init__(self, errors: list[SpecError]) -> None:
        self.errors = errors
        super().__init__(
            f"{len(errors)} problem(s) found",
            hint="fix each problem listed, then run `ogd check` again",
        )


class SourceError(OgdError):
    """The source extract could not be read."""

    code = "source-error"


class SourceUnavailable(SourceError):
    """A transient source failure: the runner may retry."""

    code = "source-unavailable"


class SourceInvalid(SourceError):
    """A terminal source failure: the extract itself is wrong."""

    code = "source-invalid"


class SchemaError(OgdError):
    """A Table Schema is invalid, or data failed validation under the fail policy."""

    code = "schema-error"


class PrivacyError(OgdError):
    """The privacy policy is incomplete or not met: nothing is published."""

    code = "privacy-error"


class PublishError(OgdError):
    """Writing files or switching the release failed."""

    code = "publish-error"


class CatalogError(OgdError):
    """A catalogue action failed."""

    code = "catalog-error"


class NotFound(CatalogError):
    """The object asked for does not exist (HTTP 404)."""

    code = "not-found"


class NotAuthorized(CatalogError):
    """The caller may not do this (HTTP 403)."""

    code = "not-authorized"


class ValidationError(CatalogError):
    """Input failed validation (HTTP 409); `errors` maps field -> messages."""

    code = "validation-error"

    def __init__(self, errors: dict[str, list[str]], *, hint: str = "") -> None:
        self.errors = errors
        text = "; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items())
        super().__init__(text or "invalid input", hint=hint)


class Conflict(CatalogError):
    """A write that conflicts with the catalogue's state (HTTP 409, free-form message)."""

    code = "conflict"


class SearchQueryError(CatalogError):
    """A search request is malformed (HTTP 400)."""

    code = "search-query-error"
