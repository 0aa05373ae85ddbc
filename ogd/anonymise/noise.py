"""Differentially private counts: discrete Laplace (two-sided geometric) noise on every cell.

For a histogram in which each person counts in one cell, adding discrete Laplace noise of
scale 1/epsilon to every cell (zeros included) is epsilon-DP. The noise comes from OpenDP,
whose sampler draws from a cryptographic source; clamping at zero afterwards is
post-processing and costs nothing. A seed switches to numpy's generator so that tests and
re-runs are reproducible: anyone who knows the seed can subtract the noise, so a seeded
release protects nobody unless the seed is as secret as a key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from ogd.anonymise.suppress import check_counts, complete_table
from ogd.errors import PrivacyError

Ints = npt.NDArray[np.int64]
MECHANISM = "discrete Laplace (two-sided geometric), sensitivity 1"


@dataclass(frozen=True)
class NoiseReport:
    """What noisy_counts spent and added.

    Attributes:
        epsilon: privacy loss of this release (sequential composition adds these up).
        scale: noise scale 1/epsilon: P(noise = k) is proportional to exp(-|k| / scale).
        variance: 2 e^-epsilon / (1 - e^-epsilon)^2, the noise variance per cell.
        cells: cells that received noise (every combination of the dimension values).
        sampler: "opendp" (cryptographic) or "seeded" (reproducible, tests only).
        mechanism: the mechanism's name.
    """

    epsilon: float
    scale: float
    variance: float
    cells: int
    sampler: str
    mechanism: str = MECHANISM


def noise_variance(epsilon: float) -> float:
    """Variance of discrete Laplace noise with scale 1/epsilon."""
    q = math.exp(-epsilon)
    return 2 * q / (1 - q) ** 2


def spent_epsilon(reports: Iterable[NoiseReport]) -> float:
    """The privacy loss of several releases about the same persons (sequential composition)."""
    return sum(r.epsilon for r in reports)


def noisy_counts(
    table: pa.Table,
    count: str,
    epsilon: float,
    seed: int | None = None,
    *,
    dimensions: Sequence[str] | None = None,
) -> tuple[pa.Table, NoiseReport]:
    """Add discrete Laplace noise to every count, zeros included, and clamp at zero.

    The table is first completed to every combination of the dimension values it holds,
    so that an empty cell is as noisy as any other. Those values should be the public
    domain (all quarters, all age bands) rather than a property of the data.

    Args:
        table: an aggregate table in long format.
        count: the count column (each person counts once in the whole table).
        epsilon: the privacy loss to spend (> 0).
        seed: None in production (OpenDP's cryptographic sampler); an integer for
            reproducible tests.
        dimensions: the dimension columns (default: every other column).

    Returns:
        The completed table with noisy counts (int64), and the report.

    Raises:
        PrivacyError: epsilon not positive, or a count that is null or negative.
    """
    if not epsilon > 0 or math.isinf(epsilon):
        raise PrivacyError(
            f"epsilon must be a positive number, not {epsilon}",
            where="privacy.noise.epsilon",
            hint="use a value such as 0.5 or 1",
        )
    check_counts(table, count, "add noise before any suppression, to complete non-negative counts")
    dims = (
        list(dimensions)
        if dimensions is not None
        else [n for n in table.column_names if n != count]
    )
    table = complete_table(table, count, dims)
    true = np.asarray(table[count].to_numpy(), dtype=np.int64)
    scale = 1.0 / epsilon
    if seed is None:
        noisy, sampler = _opendp_laplace(true, scale, epsilon), "opendp"
    else:
        noisy, sampler = true + _seeded_laplace(len(true), epsilon, seed), "seeded"
    released = pa.array(np.maximum(noisy, 0), pa.int64())
    table = table.set_column(table.column_names.index(count), count, released)
    report = NoiseReport(epsilon, scale, noise_variance(epsilon), table.num_rows, sampler)
    return table, report


def _opendp_laplace(values: Ints, scale: float, epsilon: float) -> Ints:
    import opendp.prelude as dp

    dp.enable_features("contrib")  # OpenDP's flag for mechanisms not yet formally vetted
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    measurement = dp.m.make_laplace(*space, scale=scale)
    privacy_loss: Callable[[int], float] = measurement.map
    if privacy_loss(1) > epsilon * (1 + 1e-9):
        raise PrivacyError(
            f"OpenDP reports a privacy loss of {privacy_loss(1)} for scale {scale}",
            where="privacy.noise",
            hint="report this as a bug",
        )
    return np.asarray(measurement([int(v) for v in values]), dtype=np.int64)


def _seeded_laplace(size: int, epsilon: float, seed: int) -> Ints:
    """Discrete Laplace as the difference of two geometric draws (reproducible)."""
    rng = np.random.default_rng(seed)
    p = -math.expm1(-epsilon)  # 1 - e^-epsilon
    return np.asarray(rng.geometric(p, size) - rng.geometric(p, size), dtype=np.int64)
