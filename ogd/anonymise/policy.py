"""Per-column privacy rules: every column of personal data needs a role; identifiers never leave."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from ogd.errors import PrivacyError
from ogd.pipeline.privacy import PrivacySpec as Policy


def check_policy(policy: Policy, labels: Sequence[str], source: str) -> list[PrivacyError]:
    """Every column of a personal-data extract must have a role; roles name real columns.

    Returns:
        One error per unclassified or unknown column (empty when the policy is complete).
    """
    if not policy.personal_data:
        return []
    roles = policy.columns
    errors = [
        PrivacyError(
            f"column `{label}` of {source} has no privacy role",
            where=f"{policy.where}.columns",
            hint="give it one of: identifier, quasi_identifier, sensitive, insensitive",
        )
        for label in labels
        if label not in roles
    ]
    errors += [
        PrivacyError(
            f"`{name}` is not a column of {source}",
            where=f"{policy.where}.columns.{name}",
            hint=f"columns are: {', '.join(labels)}",
        )
        for name in roles
        if name not in labels
    ]
    return errors


def drop_identifiers(table: pa.Table, policy: Policy) -> pa.Table:
    """Remove every column whose role is `identifier`."""
    names = [c for c in policy.columns_with("identifier") if c in table.column_names]
    return table.drop_columns(names)


def check_output(table: pa.Table, policy: Policy, table_name: str) -> None:
    """Refuse a published table that still holds a direct identifier.

    Raises:
        PrivacyError: an identifier column reached the output.
    """
    allowed = (
        set(policy.pseudonymise.columns)
        if policy.pseudonymise is not None and policy.pseudonymise.publish
        else set()
    )
    leaked = [
        c for c in policy.columns_with("identifier") if c in table.column_names and c not in allowed
    ]
    if leaked:
        raise PrivacyError(
            f"table `{table_name}` would publish direct identifiers: {', '.join(leaked)}",
            where=policy.where,
            hint="drop or aggregate these columns before publishing (pseudonyms are for joins "
            "inside the run and are dropped too, unless `pseudonymise.publish` is true)",
        )
