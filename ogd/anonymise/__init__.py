"""Privacy: the per-column policy, identifier removal and small-cell suppression."""

from ogd.anonymise.policy import check_output, check_policy, drop_identifiers
from ogd.anonymise.suppress import suppress_small_cells

__all__ = ["check_output", "check_policy", "drop_identifiers", "suppress_small_cells"]
