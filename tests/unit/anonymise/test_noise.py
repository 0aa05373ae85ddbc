"""Noisy counts: discrete Laplace noise of the right size on every cell, zeros included."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from ogd.anonymise.noise import noise_variance, noisy_counts, spent_epsilon
from ogd.errors import PrivacyError

CELLS = 20_000


def flat(value: int = 50) -> pa.Table:
    return pa.table({"zelle": [f"c{i}" for i in range(CELLS)], "anzahl": pa.array([value] * CELLS)})


def test_variance_formula() -> None:
    q = math.exp(-1.0)
    assert noise_variance(1.0) == pytest.approx(2 * q / (1 - q) ** 2)


@pytest.mark.parametrize("epsilon", [0.5, 1.0, 2.0])
def test_seeded_noise_has_mean_zero_and_the_geometric_variance(epsilon: float) -> None:
    published, report = noisy_counts(flat(), "anzahl", epsilon, seed=7)
    noise = np.asarray(published["anzahl"]) - 50
    variance = noise_variance(epsilon)
    assert report.sampler == "seeded" and report.scale == pytest.approx(1 / epsilon)
    assert abs(noise.mean()) < 4 * math.sqrt(variance / CELLS)
    assert noise.var() == pytest.approx(variance, rel=0.06)
    again, _ = noisy_counts(flat(), "anzahl", epsilon, seed=7)
    assert again.equals(published)  # reproducible


def test_opendp_noise_has_mean_zero_and_the_geometric_variance() -> None:
    published, report = noisy_counts(flat(), "anzahl", 1.0, seed=None)
    noise = np.asarray(published["anzahl"]) - 50
    variance = noise_variance(1.0)
    assert report.sampler == "opendp" and report.epsilon == 1.0
    assert abs(noise.mean()) < 5 * math.sqrt(variance / CELLS)  # fails ~1 in 3 million runs
    assert noise.var() == pytest.approx(variance, rel=0.1)


def test_zeros_get_noise_and_nothing_is_negative() -> None:
    table = pa.table({"a": ["x", "x", "y"], "b": ["p", "q", "p"], "anzahl": [0, 3, 4]})
    published, report = noisy_counts(table, "anzahl", 0.1, seed=1)
    assert published.num_rows == 4 and report.cells == 4  # (y, q) was absent: now a noisy cell
    assert min(published["anzahl"].to_pylist()) >= 0


def test_epsilon_adds_up_across_releases() -> None:
    reports = [noisy_counts(flat(), "anzahl", e, seed=1)[1] for e in (0.5, 0.25)]
    assert spent_epsilon(reports) == pytest.approx(0.75)


@pytest.mark.parametrize("epsilon", [0.0, -1.0, math.inf, math.nan])
def test_bad_epsilon_is_refused(epsilon: float) -> None:
    with pytest.raises(PrivacyError, match="epsilon"):
        noisy_counts(flat(), "anzahl", epsilon, seed=1)


def test_suppressed_counts_are_refused() -> None:
    table = pa.table({"a": ["x", "y"], "anzahl": pa.array([None, 7], pa.int64())})
    with pytest.raises(PrivacyError, match="nulls"):
        noisy_counts(table, "anzahl", 1.0, seed=1)
