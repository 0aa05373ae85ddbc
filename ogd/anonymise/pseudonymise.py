"""Keyed HMAC pseudonyms; the key is passed in (or read from the place it is handed), never kept.

A pseudonym is HMAC-SHA-256 over the purpose label, a unit separator and the normalised
value, as 16 hex characters (64 bit). A plain or salted hash will not do: the space of AHV
numbers can be enumerated in minutes, so only a secret key makes the mapping one-way.
The purpose label separates domains: the same person gets unrelated pseudonyms in unrelated
datasets. Error messages name where the key was looked for, never the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import string
import unicodedata
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ogd.errors import PrivacyError

MIN_KEY_BYTES = 32
PSEUDONYM_CHARS = 16  # hex characters kept: 64 bit, collisions ~1e-10 for 1e5 persons
SEPARATOR = "\x1f"  # between the purpose label and the value
KINDS = ("text", "ahv")

_WHERE = "setting `pseudonym_key_file` or variable OGD_PSEUDONYM_KEY"
_HINT = (
    'create a key of 32 random bytes, e.g. `python -c "import secrets; '
    'print(secrets.token_hex(32))"`, and keep it in the secret store'
)
_HEX = frozenset(string.hexdigits)
_NON_DIGITS = re.compile(r"[^0-9]+")


def load_key(*, file: Path | None, value: str | None) -> bytes:
    """The pseudonymisation key from a secret file or an environment value.

    A file holds raw bytes or hex or base64 text; a value is hex or base64. When both are
    given the value wins (it is the more explicit of the two, usually OGD_PSEUDONYM_KEY).

    Args:
        file: the key file, or None.
        value: the key as text, or None.

    Returns:
        The key bytes (at least MIN_KEY_BYTES).

    Raises:
        PrivacyError: no key, an unreadable file, text that is neither hex nor base64, or
            fewer than MIN_KEY_BYTES bytes. The message never contains the key.
    """
    if value:
        key = _decode_text(value, "variable OGD_PSEUDONYM_KEY")
        source = "variable OGD_PSEUDONYM_KEY"
    elif file is not None:
        key = _read_file(file)
        source = f"key file {file}"
    else:
        raise PrivacyError("pseudonymisation key missing", where=_WHERE, hint=_HINT)
    if len(key) < MIN_KEY_BYTES:
        raise PrivacyError(
            f"the pseudonymisation key in {source} has {len(key)} bytes; "
            f"at least {MIN_KEY_BYTES} are needed",
            where=_WHERE,
            hint=_HINT,
        )
    return key


def _read_file(file: Path) -> bytes:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise PrivacyError(
            f"cannot read the pseudonymisation key file {file}: {exc.strerror}",
            where=_WHERE,
            hint=_HINT,
        ) from None
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return raw  # raw random bytes
    if not all(c.isprintable() or c.isspace() for c in text):
        return raw  # binary that happens to be 7-bit
    return _decode_text(text, f"key file {file}")


def _decode_text(text: str, source: str) -> bytes:
    """Hex, or base64 (standard or URL-safe) with its padding; nothing else.

    Strict on purpose: a hex key with a typo must fail, not turn into another key, so text
    that is nearly all hex digits is never read as base64.
    """
    compact = "".join(text.split())
    if compact and len(compact) % 2 == 0 and set(compact) <= _HEX:
        return bytes.fromhex(compact)
    mostly_hex = sum(c in _HEX for c in compact) >= 0.9 * len(compact)
    if compact and len(compact) % 4 == 0 and not mostly_hex:
        try:
            return base64.b64decode(compact.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            pass
    raise PrivacyError(
        f"the pseudonymisation key in {source} is neither hex nor base64 text",
        where=_WHERE,
        hint=_HINT,
    )


def normalise(values: pa.Array | pa.ChunkedArray, kind: str = "text") -> pa.Array:
    """Canonical form of identifiers, so that spellings of one value get one pseudonym.

    Args:
        values: the identifiers (strings, or integers for AHV numbers).
        kind: "text" (NFKC, trimmed, case-folded, inner whitespace collapsed) or "ahv"
            (digits only: 756.1234.5678.97 -> 7561234567897).

    Returns:
        A string array; nulls, and values with nothing left after normalising, are null.

    Raises:
        PrivacyError: an unknown kind.
    """
    if kind not in KINDS:
        raise PrivacyError(
            f"unknown pseudonymisation kind {kind!r}",
            where="privacy.pseudonymise",
            hint=f"use one of: {', '.join(KINDS)}",
        )
    text = pc.cast(values, pa.string())
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    clean = _ahv if kind == "ahv" else _text
    return pa.array(
        [None if v is None else clean(v) or None for v in text.to_pylist()], pa.string()
    )


def _text(value: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    return " ".join(folded.split())


def _ahv(value: str) -> str:
    return _NON_DIGITS.sub("", value)


def pseudonymise(
    values: pa.Array | pa.ChunkedArray, key: bytes, purpose: str, kind: str = "text"
) -> pa.Array:
    """Keyed pseudonyms: HMAC-SHA-256(key, purpose + "\\x1f" + normalised value), 16 hex chars.

    Args:
        values: the identifiers.
        key: the secret key (at least MIN_KEY_BYTES bytes), e.g. from `load_key`.
        purpose: the purpose label that separates this use from every other.
        kind: how to normalise, see `normalise`.

    Returns:
        A string array of pseudonyms; nulls (and empty values) stay null.

    Raises:
        PrivacyError: a short key, an empty purpose or one holding the separator, or an
            unknown kind. The message never contains the key.
    """
    if len(key) < MIN_KEY_BYTES:
        raise PrivacyError(
            f"the pseudonymisation key has {len(key)} bytes; at least {MIN_KEY_BYTES} needed",
            where=_WHERE,
            hint=_HINT,
        )
    if not purpose or SEPARATOR in purpose:
        raise PrivacyError(
            "the purpose label is empty or holds the unit separator",
            where="privacy.pseudonymise.purpose",
            hint="name the dataset and use, e.g. `population-register-2025`",
        )
    prefix = hmac.new(key, (purpose + SEPARATOR).encode("utf-8"), hashlib.sha256)
    out: list[str | None] = []
    for value in normalise(values, kind).to_pylist():
        if value is None:
            out.append(None)
            continue
        mac = prefix.copy()
        mac.update(value.encode("utf-8"))
        out.append(mac.hexdigest()[:PSEUDONYM_CHARS])
    return pa.array(out, pa.string())
