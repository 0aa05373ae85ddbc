"""Keyed pseudonyms: stable, key- and purpose-separated, normalised, and never leaking the key."""

from __future__ import annotations

import base64
import hashlib
import time
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogd.anonymise.pseudonymise import MIN_KEY_BYTES, load_key, normalise, pseudonymise
from ogd.errors import PrivacyError

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def one(value: str, key: bytes = KEY, purpose: str = "population", kind: str = "text") -> str:
    result = pseudonymise(pa.array([value]), key, purpose, kind)[0].as_py()
    assert isinstance(result, str)
    return result


def test_same_input_key_and_purpose_give_the_same_pseudonym() -> None:
    assert one("Anna Muster") == one("Anna Muster")
    assert len(one("Anna Muster")) == 16
    assert set(one("Anna Muster")) <= set("0123456789abcdef")


def test_other_key_or_purpose_give_another_pseudonym() -> None:
    base = one("Anna Muster")
    assert one("Anna Muster", key=OTHER_KEY) != base
    assert one("Anna Muster", purpose="tax") != base


def test_purpose_and_value_are_separated() -> None:
    # without the separator, ("ab", "c") and ("a", "bc") would hash the same text
    assert one("c", purpose="ab") != one("bc", purpose="a")
    with pytest.raises(PrivacyError):
        pseudonymise(pa.array(["x"]), KEY, "a\x1fb")
    with pytest.raises(PrivacyError):
        pseudonymise(pa.array(["x"]), KEY, "")


@pytest.mark.parametrize(
    ("left", "right", "kind"),
    [
        (" Müller ", "müller", "text"),
        ("MÜLLER", "müller", "text"),
        ("Mu\u0308ller", "Müller", "text"),  # decomposed umlaut
        ("Anna  \t Muster", "anna muster", "text"),
        ("Strasse", "STRAßE", "text"),  # case folding, not just lower case
        ("756.1234.5678.97", "7561234567897", "ahv"),
        (" 756 1234 5678 97 ", "756.1234.5678.97", "ahv"),
    ],
)
def test_spellings_of_one_value_share_a_pseudonym(left: str, right: str, kind: str) -> None:
    assert one(left, kind=kind) == one(right, kind=kind)


def test_normalise() -> None:
    values = pa.array([" Müller ", "A  b", "", "   ", None])
    assert normalise(values).to_pylist() == ["müller", "a b", None, None, None]
    ahv = normalise(pa.array(["756.1234.5678.97", None]), "ahv")
    assert ahv.to_pylist() == ["7561234567897", None]
    assert normalise(pa.array([7561234567897]), "ahv").to_pylist() == ["7561234567897"]
    with pytest.raises(PrivacyError, match="kind"):
        normalise(values, "phone")


def test_nulls_and_empty_values_stay_null() -> None:
    out = pseudonymise(pa.array(["a", None, "  "]), KEY, "population")
    assert out.to_pylist()[1:] == [None, None] and out.null_count == 2


def test_chunked_input() -> None:
    chunked = pa.chunked_array([["a", "b"], ["c"]])
    assert (
        pseudonymise(chunked, KEY, "p").to_pylist()
        == pseudonymise(pa.array(["a", "b", "c"]), KEY, "p").to_pylist()
    )


# --- the key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [KEY, KEY.hex().encode(), KEY.hex().encode() + b"\n", base64.b64encode(KEY) + b"\n"],
    ids=["raw", "hex", "hex-newline", "base64"],
)
def test_key_from_a_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pseudonym.key"
    path.write_bytes(content)
    assert load_key(file=path, value=None) == KEY


@pytest.mark.parametrize(
    "value", [KEY.hex(), KEY.hex().upper(), base64.b64encode(KEY).decode(),
              base64.urlsafe_b64encode(KEY).decode()]
)  # fmt: skip
def test_key_from_a_value(value: str) -> None:
    assert load_key(file=None, value=value) == KEY


def test_value_wins_over_file(tmp_path: Path) -> None:
    path = tmp_path / "k"
    path.write_text(OTHER_KEY.hex())
    assert load_key(file=path, value=KEY.hex()) == KEY


SECRET = "a7" * 31  # 31 bytes: too short, and must never be shown


@pytest.mark.parametrize(
    ("file_content", "value", "message"),
    [
        (None, None, "missing"),
        (None, SECRET, "31 bytes"),
        (None, SECRET + "zz", "neither hex nor base64"),  # a typo, not base64
        (None, SECRET + "a7\u00e9", "neither hex nor base64"),
        (SECRET, None, "31 bytes"),
        (SECRET + " not a key!", None, "neither hex nor base64"),
    ],
)
def test_key_errors_never_show_the_key(
    tmp_path: Path, file_content: str | None, value: str | None, message: str
) -> None:
    path = None
    if file_content is not None:
        path = tmp_path / "pseudonym.key"
        path.write_text(file_content)
    with pytest.raises(PrivacyError) as info:
        load_key(file=path, value=value)
    error = info.value
    assert message in error.message
    assert "pseudonym_key_file" in error.where and "OGD_PSEUDONYM_KEY" in error.where
    shown = " ".join([str(error), repr(error), error.message, error.where, error.hint])
    for secret in (SECRET, SECRET.upper(), bytes.fromhex(SECRET).hex(), SECRET[:16]):
        assert secret not in shown
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_missing_file_names_the_file_not_a_key(tmp_path: Path) -> None:
    with pytest.raises(PrivacyError, match="cannot read") as info:
        load_key(file=tmp_path / "absent.key", value=None)
    assert "absent.key" in info.value.message


def test_short_key_is_refused_by_pseudonymise_without_showing_it() -> None:
    short = b"s3cr3t-but-short"
    with pytest.raises(PrivacyError) as info:
        pseudonymise(pa.array(["x"]), short, "p")
    shown = " ".join([str(info.value), repr(info.value)])
    assert short.decode() not in shown and short.hex() not in shown
    assert f"at least {MIN_KEY_BYTES}" in info.value.message


# --- why the key matters ------------------------------------------------------------------


def test_an_unkeyed_hash_of_an_ahv_number_is_reversed_by_enumeration() -> None:
    """An attacker who knows the AHV layout enumerates the candidates; 10^4 here, 10^9 real."""
    secret_ahv = "7561234563817"
    leaked_plain = hashlib.sha256(secret_ahv.encode()).hexdigest()[:16]
    leaked_keyed = one(secret_ahv, kind="ahv")
    candidates = [f"756123456{n:04d}" for n in range(10_000)]
    plain = {hashlib.sha256(c.encode()).hexdigest()[:16]: c for c in candidates}
    assert plain[leaked_plain] == secret_ahv  # recovered
    # the same enumeration without the key finds nothing: guessing keys is hopeless
    for guess in (b"\x00" * 32, hashlib.sha256(b"luzern").digest()):
        guessed = pseudonymise(pa.array(candidates), guess, "population", "ahv").to_pylist()
        assert leaked_keyed not in guessed
        assert plain.get(leaked_keyed) is None


# --- properties and speed -----------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=50))
def test_pseudonyms_are_stable_and_follow_normalisation(values: list[str]) -> None:
    first = pseudonymise(pa.array(values), KEY, "p").to_pylist()
    again = pseudonymise(pa.array(list(reversed(values))), KEY, "p").to_pylist()
    assert first == list(reversed(again))
    normalised = normalise(pa.array(values)).to_pylist()
    by_value: dict[str, str | None] = {}
    for norm, pseudonym in zip(normalised, first, strict=True):
        assert (norm is None) == (pseudonym is None)
        if norm is not None:
            assert by_value.setdefault(norm, pseudonym) == pseudonym


def test_no_collisions_on_ten_thousand_distinct_values() -> None:
    values = [f"person-{i}" for i in range(10_000)]
    assert len(set(pseudonymise(pa.array(values), KEY, "p").to_pylist())) == 10_000


@settings(max_examples=20, deadline=None)
@given(
    st.sets(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1),
        min_size=2,
        max_size=300,
    )
)
def test_distinct_normalised_values_get_distinct_pseudonyms(values: set[str]) -> None:
    out = pseudonymise(pa.array(sorted(values)), KEY, "p").to_pylist()
    assert len(set(out)) == len(values)


def test_83000_values_in_well_under_a_second() -> None:
    values = pa.array([f"756.{i % 10_000:04d}.{i // 10:04d}.{i % 97:02d}" for i in range(83_000)])
    start = time.perf_counter()
    out = pseudonymise(values, KEY, "population", "ahv")
    assert time.perf_counter() - start < 1.0
    assert len(out) == 83_000
