"""64-bit hashes of Arrow keys and a Bloom filter over them, vectorised with numpy.

Sorting and binary search on strings compare bytes, which is slow; on their hashes they
compare integers. A hash is only a shortcut: `KeyIndex` compares the strings of every
match, so a collision costs time, never a wrong verdict. A string is read as 8-byte
words straight from the Arrow buffers (at most `WORDS` words; longer strings are hashed
with Python's `hash`), folded with the splitmix64 finaliser. The Bloom filter answers
"certainly never seen" for almost every new key, so only the few others are searched.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

WORDS = 8
# The low k bytes of a word, for k = 0 … 8.
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], np.uint64)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_PROBES = 4
_BITS_PER_KEY = 24
_EMPTY = np.zeros(0, np.uint8)
_MIN_BITS = 1 << 25

Vector = np.ndarray[Any, Any]


def hash_strings(values: pa.Array) -> pa.Array:
    """Hash each string to an int64 (null stays null).

    Args:
        values: a string array (any offset; nulls allowed).

    Returns:
        An int64 array aligned with `values`.
    """
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    starts, lengths, data = string_parts(values)
    padded = np.concatenate([data, np.zeros(8, np.uint8)])
    words: Vector = np.ndarray((len(padded) - 7,), "<u8", padded.data, 0, (1,))  # any byte
    result = mix(lengths.astype(np.uint64) * _GOLDEN)
    last = len(words) - 1
    for index in range(min(WORDS, int(lengths.max(initial=0) + 7) // 8)):
        left = np.clip(lengths - index * 8, 0, 8)
        word = words[np.minimum(starts + index * 8, last)] & _MASKS[left]
        result = np.where(left > 0, mix(result ^ word), result)  # not past the end
    hashed = pa.array(result.view(np.int64), pa.int64())
    long = lengths > WORDS * 8
    if long.any():
        hashed = _python_hashes(values, hashed, long)
    return pc.if_else(pc.is_valid(values), hashed, pa.scalar(None, pa.int64()))


def string_parts(values: pa.Array) -> tuple[Vector, Vector, Vector]:
    """Start and length of each string in the returned bytes (just the slice's bytes)."""
    count = len(values)
    _, offsets_buffer, data_buffer = values.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, count + 1, values.offset * 4)
    first, last = (int(offsets[0]), int(offsets[-1])) if count else (0, 0)
    data = np.frombuffer(data_buffer, np.uint8, last - first, first) if last > first else _EMPTY
    starts = offsets[:-1].astype(np.int64) - first
    return starts, offsets[1:].astype(np.int64) - offsets[:-1], data


def hash_keys(keys: pa.Array) -> Vector:
    """uint64 hashes of non-null numeric keys (int64 or float64), as numpy."""
    return hash_values(keys.to_numpy(zero_copy_only=False))


def hash_values(values: Vector) -> Vector:
    """uint64 hashes of 8-byte numbers (int64 or float64), as `hash_keys` gives them."""
    bits = np.ascontiguousarray(values).view(np.uint64)
    return mix(bits ^ _GOLDEN)


def mix(value: Vector) -> Vector:
    """The splitmix64 finaliser, element-wise on uint64."""
    value = value ^ (value >> np.uint64(30))
    value = value * _MIX1
    value = value ^ (value >> np.uint64(27))
    value = value * _MIX2
    return value ^ (value >> np.uint64(31))


def _python_hashes(values: pa.Array, hashed: pa.Array, long: Vector) -> pa.Array:
    mask = pa.array(long)
    texts = values.filter(mask).to_pylist()
    replacement = pa.array([hash(text) for text in texts], pa.int64())
    return pc.replace_with_mask(hashed, mask, replacement)


class BloomFilter:
    """A set of hashes that may answer "maybe" for a hash never added, never "no" for one added.

    Blocked: each hash sets `_PROBES` bits of one 64-bit word, so adding and asking is
    one memory access per key. It is rebuilt bigger (from the keys it is handed) to
    keep at least `_BITS_PER_KEY` bits per key, so false positives stay under 0.5 %.
    """

    def __init__(self, bits: int = _MIN_BITS) -> None:
        """Start empty with `bits` bits (a power of two)."""
        self._words: Vector = np.zeros(bits // 64, np.uint64)
        self._count = 0

    @property
    def full(self) -> bool:
        """Whether it holds too many keys for its size (rebuild it bigger)."""
        return self._count * _BITS_PER_KEY > len(self._words) * 64

    def rebuilt(self, hashes: list[Vector]) -> BloomFilter:
        """A new, bigger filter holding `hashes`."""
        total = sum(len(part) for part in hashes)
        bits = _MIN_BITS
        while bits < total * _BITS_PER_KEY * 2:
            bits *= 2
        fresh = BloomFilter(bits)
        for part in hashes:
            fresh.add(part)
        return fresh

    def add(self, hashes: Vector) -> None:
        """Add uint64 hashes."""
        words, bits = self._place(hashes)
        while len(words):  # of two writes to one word, one is lost: write those again
            self._words[words] |= bits
            lost = (self._words[words] & bits) != bits
            words, bits = words[lost], bits[lost]
        self._count += len(hashes)

    def maybe(self, hashes: Vector, bits: Vector | None = None) -> Vector:
        """Per hash, False where it was certainly never added.

        Args:
            hashes: uint64 hashes.
            bits: `probe_bits(hashes)`, when already computed (it is the same for
                filters of any size).
        """
        words = hashes & np.uint64(len(self._words) - 1)
        if bits is None:
            bits = probe_bits(hashes)
        found: Vector = (self._words[words] & bits) == bits
        return found

    def _place(self, hashes: Vector) -> tuple[Vector, Vector]:
        return hashes & np.uint64(len(self._words) - 1), probe_bits(hashes)


def probe_bits(hashes: Vector) -> Vector:
    """The bits a hash sets in its word of a `BloomFilter` (of any size)."""
    bits = np.zeros(len(hashes), np.uint64)
    for probe in range(_PROBES):
        shift = np.uint64(64 - 6 * (probe + 1))
        bits |= np.uint64(1) << ((hashes >> shift) & np.uint64(63))
    return bits
