"""The keys a table has shown so far, for `unique` and `primaryKey` across batches.

frictionless flags every repeat of a unique value or primary key and names the latest
earlier row with the same key. `KeyIndex` does that a batch at a time in near-linear
time and with memory for the distinct keys only:

- each batch's distinct keys become a run sorted by key, with the last row of each;
  runs of one size are merged `_FANOUT` at a time (numpy's timsort merges sorted runs
  in linear time), so each key is merged a few times at most;
- a key outside the range of all keys seen is new (ascending ids need nothing else);
  where many keys are inside, a Bloom filter answers "never seen" for almost all of
  them, so only the few others are searched (a binary search per run, newest first);
- strings are sorted by their 64-bit hash (`ogd.validate.hashing`) but kept unsorted
  (runs point into them), and compared in full on every match: a collision costs
  time, never a wrong verdict;
- memory is bounded: once the runs in memory hold more than `MEMORY_KEYS` keys, they
  are merged into one run written to a file in a temporary folder (`_Spilled`): keys,
  rows and strings in key order. What stays in memory of it is a Bloom filter sized on
  that run (`_SPILL_BITS_PER_KEY` bits a key) and every `_BLOCK`-th key, so a key the
  filter lets through costs one read of a block. Runs are searched newest first: the
  runs in memory, then the files. `close()` removes the folder.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ogd.validate.hashing import BloomFilter, hash_keys, hash_strings, hash_values, probe_bits

MEMORY_KEYS = 1_100_000  # keys an index holds in memory before it writes them to a file
_NO_ROW = pa.scalar(None, pa.int64())
_FANOUT = 32
_FEW = 1024  # needles searched without asking the Bloom filter first
_INT32_LIMIT = 2**31 - 1
_BLOCK = 256  # keys of a spilled run read at once; every _BLOCK-th key stays in memory
_SPILL_BITS_PER_KEY = 24  # at least, in the Bloom filter of a spilled run (< 0.5 % false hits)
_CHUNK = 1 << 20  # keys written to a file at once


@dataclass(frozen=True)
class _Run:
    """Keys sorted by `order` with their rows; string keys point into `text`."""

    order: pa.Array  # the value itself, or the hash of a string; no nulls in a stored run
    rows: pa.Array  # int32 (int64 past 2**31 rows)
    pointer: pa.Array | None = None  # int32 index of each key's string in `text`
    text: pa.Array | None = None  # strings in arrival order (never sorted)
    level: int = 0  # how many merges made it

    def __len__(self) -> int:
        return len(self.order)

    def take(self, indices: pa.Array) -> _Run:
        pointer = None if self.pointer is None else self.pointer.take(indices)
        return _Run(
            self.order.take(indices), self.rows.take(indices), pointer, self.text, self.level
        )

    def filter(self, mask: pa.Array) -> _Run:
        pointer = None if self.pointer is None else self.pointer.filter(mask)
        return _Run(self.order.filter(mask), self.rows.filter(mask), pointer, self.text, self.level)

    def texts(self, positions: pa.Array) -> pa.Array:
        """The strings of the keys at `positions`."""
        assert self.text is not None and self.pointer is not None
        return self.text.take(self.pointer.take(positions))


class _Spilled:
    """A run written to a file: records (order, row) in key order, then strings.

    The file holds `count` records of (order, row), for strings then `count + 1` int64
    offsets and the UTF-8 bytes of the strings in key order. Kept in memory: every
    `_BLOCK`-th order (`fences`), the lowest and highest order, and a Bloom filter,
    built from the file when many keys fall within the run's range (never for a run
    of ascending ids that later keys are all above).
    """

    def __init__(
        self, path: str, count: int, dtype: np.dtype[Any], fences: np.ndarray[Any, Any], *,
        strings: bool, low: Any, high: Any,
    ) -> None:  # fmt: skip
        self.count, self.dtype, self.fences = count, dtype, fences
        self.strings, self.low, self.high = strings, low, high
        self._bloom: BloomFilter | None = None
        self._record = np.dtype([("order", dtype), ("row", np.int64)])
        self._offsets_at = count * self._record.itemsize
        self._data_at = self._offsets_at + (count + 1) * 8
        self._fd: int | None = os.open(path, os.O_RDONLY)
        self._closer = weakref.finalize(self, os.close, self._fd)  # when never closed

    def __len__(self) -> int:
        return self.count

    @classmethod
    def write(cls, run: _Run, path: str) -> _Spilled:
        """Write `run` (sorted, no nulls) to `path`."""
        orders = _numpy(run.order)
        record = np.dtype([("order", orders.dtype), ("row", np.int64)])
        with open(path, "wb") as handle:
            for start in range(0, len(run), _CHUNK):
                part = np.empty(min(_CHUNK, len(run) - start), record)
                part["order"] = orders[start : start + len(part)]
                part["row"] = _numpy(run.rows.slice(start, len(part)))
                part.tofile(handle)
            if run.text is not None:
                _write_strings(run, handle)
        return cls(
            path, len(run), orders.dtype, orders[::_BLOCK].copy(),
            strings=run.text is not None, low=orders[0].item(), high=orders[-1].item(),
        )  # fmt: skip

    def _filter(self) -> BloomFilter:
        """The Bloom filter of the run's keys (read from the file when first needed)."""
        if self._bloom is None:
            bits = 64
            while bits < self.count * _SPILL_BITS_PER_KEY:
                bits *= 2
            self._bloom = BloomFilter(bits)
            for start in range(0, self.count, _CHUNK):
                part = self._records(start, min(start + _CHUNK, self.count))
                self._bloom.add(hash_values(part["order"]))
        return self._bloom

    def close(self) -> None:
        """Close the file."""
        self._closer()
        self._fd = None

    def maybe(
        self, wanted: np.ndarray[Any, Any], hashes: np.ndarray[Any, Any], bits: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, Any]:
        """Positions of the keys that may be in the run (in range, and the filter agrees)."""
        maybe = np.flatnonzero((wanted >= self.low) & (wanted <= self.high))
        if len(maybe) <= _FEW and self._bloom is None:
            return maybe  # few: searched without a filter
        if len(maybe) == len(wanted):
            return np.flatnonzero(self._filter().maybe(hashes, bits))
        return maybe[self._filter().maybe(hashes[maybe], bits[maybe])]

    def search(
        self, wanted: np.ndarray[Any, Any], needles: _Run, at: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, Any]:
        """Rows of the keys `wanted` (-1 where absent); key i is needle `at[i]`."""
        result = np.full(len(wanted), -1, np.int64)
        maybe = np.arange(len(wanted))
        blocks = np.maximum(np.searchsorted(self.fences, wanted[maybe], "left") - 1, 0)
        order = np.argsort(blocks, kind="stable")
        maybe, blocks = maybe[order], blocks[order]
        bounds = np.flatnonzero(np.diff(blocks)) + 1
        for group in np.split(np.arange(len(maybe)), bounds):
            block = int(blocks[group[0]])
            self._search_block(block, wanted, maybe[group], needles, at, result)
        return result

    def _search_block(
        self,
        block: int,
        wanted: np.ndarray[Any, Any],
        members: np.ndarray[Any, Any],
        needles: _Run,
        at: np.ndarray[Any, Any],
        result: np.ndarray[Any, Any],
    ) -> None:
        """Look for `wanted[members]` in block `block` (and the first key after it)."""
        start = block * _BLOCK
        records = self._records(start, min(start + _BLOCK + 1, self.count))
        found = np.searchsorted(records["order"], wanted[members], "left")
        safe = np.minimum(found, len(records) - 1)
        hit = (found < len(records)) & (records["order"][safe] == wanted[members])
        if not self.strings:
            result[members[hit]] = records["row"][safe[hit]]
            return
        members, positions = members[hit], start + found[hit]
        if len(members) == 0:
            return
        texts = needles.texts(pa.array(at[members], pa.int64())).to_pylist()
        for member, position, text in zip(members, positions, texts, strict=True):
            result[member] = self._find_text(int(position), wanted[member], text.encode())

    def _find_text(self, position: int, order: Any, text: bytes) -> int:
        """The row of `text` among the keys of `order` from `position` on (-1: none)."""
        while position < self.count:
            record = self._records(position, position + 1)[0]
            if record["order"] != order:
                return -1
            bounds = np.frombuffer(self._pread(self._offsets_at + position * 8, 16), np.int64)
            length = int(bounds[1] - bounds[0])
            if length == len(text) and self._pread(self._data_at + int(bounds[0]), length) == text:
                return int(record["row"])
            position += 1  # two strings with one hash
        return -1

    def _records(self, start: int, stop: int) -> np.ndarray[Any, Any]:
        size = self._record.itemsize
        return np.frombuffer(self._pread(start * size, (stop - start) * size), self._record)

    def _pread(self, offset: int, size: int) -> bytes:
        assert self._fd is not None, "the index is closed"
        return os.pread(self._fd, size, offset)


def _write_strings(run: _Run, handle: Any) -> None:
    """Offsets (int64, from 0) and bytes of the run's strings in key order."""
    texts = run.texts(_arange(len(run)))
    if not pa.types.is_string(texts.type):
        texts = texts.cast(pa.string())
    _, buffer, data = texts.buffers()
    offsets = np.frombuffer(buffer, np.int32, len(texts) + 1, texts.offset * 4).astype(np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    (offsets - first).tofile(handle)
    if last > first:
        handle.write(memoryview(data)[first:last])


class KeyIndex:
    """The keys seen so far, each with the last row it was seen in."""

    def __init__(self, memory_keys: int | None = None) -> None:
        """Start empty.

        Args:
            memory_keys: the most keys held in memory before they go to a file
                (default `MEMORY_KEYS`).
        """
        self._runs: list[_Run] = []
        self._bloom: BloomFilter | None = None
        self._memory_keys = MEMORY_KEYS if memory_keys is None else memory_keys
        self._spilled: list[_Spilled] = []
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def close(self) -> None:
        """Remove the files of spilled runs (the index is empty afterwards)."""
        for spilled in self._spilled:
            spilled.close()
        self._spilled, self._runs, self._bloom = [], [], None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def previous_rows(self, keys: pa.Array, first: int) -> pa.Array:
        """Per row, the latest earlier row with the same key (null: none, or no key).

        Args:
            keys: one key per row (int64, float64 or string); null means no key.
            first: the row number of the batch's first row.

        Returns:
            An int64 array aligned with `keys`.
        """
        if len(keys) == 0:
            return pa.array([], pa.int64())
        batch, order = _sorted_batch(keys, first)
        same = _adjacent_same(batch)
        earlier = pc.if_else(_pad(same, False), _pad(batch.rows[:-1], None), _NO_ROW)
        valid = pc.is_valid(batch.order)
        firsts = pc.and_(pc.invert(_pad(same, False)), valid)
        earlier = pc.coalesce(earlier, self._lookup(batch, firsts))
        self._add(batch.filter(pc.and_(_pad(pc.invert(same), True, at_end=True), valid)))
        return earlier.take(_inverse(order))

    @property
    def size(self) -> int:
        """How many keys are held (a key repeated across runs counts once per run)."""
        return self.memory_size + sum(len(spilled) for spilled in self._spilled)

    @property
    def memory_size(self) -> int:
        """How many keys are held in memory."""
        return sum(len(run) for run in self._runs)

    @property
    def spilled_runs(self) -> int:
        """How many runs were written to files."""
        return len(self._spilled)

    def _lookup(self, batch: _Run, firsts: pa.Array) -> pa.Array:
        """Rows of the batch's first occurrences in the runs (newest run first)."""
        found = pa.nulls(len(batch), pa.int64())
        if not (self._runs or self._spilled) or not firsts.true_count:
            return found
        low, high = self._range()
        inside = pc.and_(
            pc.greater_equal(batch.order, pa.scalar(low, batch.order.type)),
            pc.less_equal(batch.order, pa.scalar(high, batch.order.type)),
        )  # outside the range of all keys seen: certainly new (ascending ids …)
        candidates = pc.indices_nonzero(pc.and_(firsts, pc.fill_null(inside, False)))
        if len(candidates) == 0:
            return found
        rows = self._lookup_memory(batch, candidates)
        if self._spilled:
            rows = self._lookup_spilled(batch.take(candidates), rows)
        return pc.replace_with_mask(found, _mask(len(batch), candidates), rows)

    def _lookup_memory(self, batch: _Run, candidates: pa.Array) -> pa.Array:
        """Rows of the candidates in the runs in memory (null where absent)."""
        rows = pa.nulls(len(candidates), pa.int64())
        if not self._runs:
            return rows
        searched, maybe = candidates, None
        if len(candidates) > _FEW:  # many: let the Bloom filter thin them out
            maybe = pa.array(self._filter().maybe(hash_keys(batch.order.take(candidates))))
            searched = candidates.filter(maybe)
        if len(searched) == 0:
            return rows
        needles = batch.take(searched)
        found = pa.nulls(len(needles), pa.int64())
        low, high = needles.order[0], needles.order[-1]
        for run in reversed(self._runs):
            if pc.less(run.order[-1], low).as_py() or pc.greater(run.order[0], high).as_py():
                continue  # no needle within the run's range
            in_run = _search(run, needles)
            found = found if in_run is None else pc.coalesce(found, in_run)
        return found if maybe is None else pc.replace_with_mask(rows, maybe, found)

    def _lookup_spilled(self, needles: _Run, rows: pa.Array) -> pa.Array:
        """Fill in the rows still null from the spilled runs (newest first)."""
        result = np.asarray(_numpy(pc.fill_null(rows, -1)), np.int64).copy()
        wanted = _numpy(needles.order)
        hashes = hash_values(wanted)
        bits = probe_bits(hashes)  # the same for every run's filter
        open_ = np.flatnonzero(result < 0)
        for spilled in reversed(self._spilled):
            maybe = spilled.maybe(wanted[open_], hashes[open_], bits[open_])
            if len(maybe):
                at = open_[maybe]
                result[at] = spilled.search(wanted[at], needles, at)
                open_ = np.flatnonzero(result < 0)
            if len(open_) == 0:
                break
        return pa.array(result, pa.int64(), mask=result < 0)

    def _range(self) -> tuple[Any, Any]:
        """The lowest and highest key order held (in memory or in files)."""
        lows = [run.order[0].as_py() for run in self._runs] + [s.low for s in self._spilled]
        highs = [run.order[-1].as_py() for run in self._runs] + [s.high for s in self._spilled]
        return min(lows), max(highs)

    def _filter(self) -> BloomFilter:
        """The Bloom filter of all keys held (built when first needed, then kept)."""
        if self._bloom is None:
            self._bloom = BloomFilter().rebuilt([hash_keys(run.order) for run in self._runs])
        return self._bloom

    def _add(self, run: _Run) -> None:
        if len(run) == 0:
            return
        self._runs.append(_narrow(_compact(run)))
        if self._bloom is not None:
            self._bloom.add(hash_keys(run.order))
            if self._bloom.full:
                self._bloom = self._bloom.rebuilt([hash_keys(r.order) for r in self._runs])
        tail = self._runs[-_FANOUT:]
        while len(tail) == _FANOUT and len({r.level for r in tail}) == 1:
            del self._runs[-_FANOUT:]
            self._runs.append(_merge(tail))
            tail = self._runs[-_FANOUT:]
        if self.memory_size > self._memory_keys:
            self._spill()

    def _spill(self) -> None:
        """Merge the runs in memory into one and write it to a file."""
        run = self._runs[0] if len(self._runs) == 1 else _merge(self._runs)
        self._runs, self._bloom = [], None
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="ogd-keys-")
        path = os.path.join(self._folder.name, f"run-{len(self._spilled)}.keys")
        self._spilled.append(_Spilled.write(run, path))


def _sorted_batch(keys: pa.Array, first: int) -> tuple[_Run, pa.Array]:
    """The batch as a run sorted by key (stable, nulls last), and the sort order."""
    rows = _arange(len(keys))
    if pa.types.is_string(keys.type) or pa.types.is_large_string(keys.type):
        unsorted = _Run(hash_strings(keys), rows, rows, keys)
    else:
        unsorted = _Run(keys, rows)
    order = _argsort(unsorted.order)
    batch = unsorted.take(order)
    if batch.text is not None and _has_clash(batch):  # two strings with one hash
        table = pa.table({"o": unsorted.order, "t": keys})
        order = pc.sort_indices(table, sort_keys=[("o", "ascending"), ("t", "ascending")])
        order = order.cast(pa.int64())
        batch = unsorted.take(order)
    return _Run(batch.order, pc.add(batch.rows, first), batch.pointer, batch.text), order


def _inverse(order: pa.Array) -> pa.Array:
    """The permutation that undoes `order`."""
    inverse = np.empty(len(order), np.int64)
    inverse[_numpy(order)] = np.arange(len(order))
    return pa.array(inverse, pa.int64())


def _numpy(values: pa.Array) -> np.ndarray[Any, Any]:
    array: np.ndarray[Any, Any] = values.to_numpy(zero_copy_only=False)
    return array


def _arange(length: int) -> pa.Array:
    return pc.indices_nonzero(pc.is_null(pa.nulls(length, pa.int8()))).cast(pa.int64())


def _argsort(order: pa.Array) -> pa.Array:
    """Stable sort indices (int64), nulls last; numpy's timsort merges sorted runs fast."""
    if order.null_count:
        valid = pc.indices_nonzero(pc.is_valid(order)).cast(pa.int64())
        inner = _argsort(order.filter(pc.is_valid(order)))
        nulls = pc.indices_nonzero(pc.is_null(order)).cast(pa.int64())
        return pa.concat_arrays([valid.take(inner), nulls])
    values = order.to_numpy(zero_copy_only=False)
    return pa.array(_stable_argsort(values), pa.int64())


def _stable_argsort(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Stable sort indices; numpy's SIMD quicksort, then equal runs put back in order."""
    indices: np.ndarray[Any, Any] = np.argsort(values, kind="quicksort")
    ordered = values[indices]
    tied = np.flatnonzero(ordered[1:] == ordered[:-1])
    if len(tied) == 0:
        return indices
    if len(tied) > len(values) // 8:  # many repeats: a stable sort is cheaper
        stable: np.ndarray[Any, Any] = np.argsort(values, kind="stable")
        return stable
    starts = np.concatenate([[0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1])
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(values))))
    members = np.unique(np.concatenate([tied, tied + 1]))
    within = members[np.lexsort((indices[members], group[members]))]
    indices[members] = indices[within]
    return indices


def _ties(run: _Run) -> pa.Array:
    """Positions i where keys i and i + 1 have the same order (hash or value)."""
    return pc.indices_nonzero(pc.fill_null(pc.equal(run.order[1:], run.order[:-1]), False))


def _has_clash(run: _Run) -> bool:
    """Whether two different strings share a hash next to each other."""
    at = _ties(run)
    if len(at) == 0:
        return False
    return bool(pc.any(pc.not_equal(run.texts(at), run.texts(pc.add(at, 1)))).as_py())


def _adjacent_same(run: _Run) -> pa.Array:
    """Per i < len - 1: keys i and i + 1 are equal (False for nulls)."""
    same = pc.fill_null(pc.equal(run.order[1:], run.order[:-1]), False)
    if run.text is None or not same.true_count:
        return same
    at = _ties(run)
    equal = pc.equal(run.texts(at), run.texts(pc.add(at, 1)))
    return pc.replace_with_mask(same, same, equal)


def _search(run: _Run, needles: _Run) -> pa.Array | None:
    """Rows of `needles` in `run` (null where absent); None when none is there."""
    orders, wanted = _numpy(run.order), _numpy(needles.order)
    at = np.minimum(np.searchsorted(orders, wanted), len(orders) - 1)
    hit = orders[at] == wanted
    if not hit.any():
        return None
    safe = pa.array(at, pa.int64())
    rows = run.rows.take(safe).cast(pa.int64())
    if run.text is None or needles.text is None:
        return pc.if_else(pa.array(hit), rows, _NO_ROW)
    mine = needles.texts(_arange(len(needles)))
    exact = pc.fill_null(pc.equal(run.texts(safe), mine), False)
    found = pc.if_else(pc.and_(pa.array(hit), exact), rows, _NO_ROW)
    clash = pc.and_(pa.array(hit), pc.invert(exact))
    if clash.true_count:  # two strings with one hash: look at all of that hash
        found = _resolve(run, mine, needles.order, found, clash, safe)
    return found


def _resolve(
    run: _Run, texts: pa.Array, orders: pa.Array, found: pa.Array, clash: pa.Array, at: pa.Array
) -> pa.Array:
    rows = found.to_pylist()
    starts = at.to_pylist()
    for index in pc.indices_nonzero(clash).to_pylist():
        position = starts[index]
        while position < len(run) and run.order[position] == orders[index]:
            if run.texts(pa.array([position]))[0] == texts[index]:
                rows[index] = run.rows[position].as_py()
                break
            position += 1
    return pa.array(rows, pa.int64())


def _compact(run: _Run) -> _Run:
    """Drop strings no key points to any more (repeats, nulls) when they are many."""
    if run.text is None or run.pointer is None or 2 * len(run) >= len(run.text):
        return run
    return _Run(run.order, run.rows, _arange(len(run)), run.texts(_arange(len(run))), run.level)


def _narrow(run: _Run) -> _Run:
    """Rows and pointers as int32, to hold less (rows stay int64 past 2**31)."""
    rows = run.rows
    if len(rows) and pc.max(rows).as_py() < _INT32_LIMIT:
        rows = rows.cast(pa.int32())
    pointer = None if run.pointer is None else run.pointer.cast(pa.int32())
    return _Run(run.order, rows, pointer, run.text, run.level)


def _merge(runs: list[_Run]) -> _Run:
    """One run of all (oldest first); where a key is in several, the newest row."""
    pointer, text = None, None
    if runs[0].text is not None:
        offset, pointers = 0, []
        for run in runs:
            assert run.pointer is not None and run.text is not None
            pointers.append(pc.add(run.pointer, offset))
            offset += len(run.text)
        pointer = pa.concat_arrays(pointers).cast(pa.int32())
        text = pa.concat_arrays([r.text for r in runs])
    both = _Run(
        pa.concat_arrays([r.order for r in runs]),
        _concat_rows([r.rows for r in runs]),
        pointer,
        text,
        runs[0].level + 1,
    )
    merged = both.take(_argsort(both.order))  # stable: the older copy comes first
    if merged.text is not None and _has_clash(merged):
        table = pa.table({"o": both.order, "t": both.texts(_arange(len(both)))})
        order = pc.sort_indices(table, sort_keys=[("o", "ascending"), ("t", "ascending")])
        merged = both.take(order.cast(pa.int64()))
    later = _adjacent_same(merged)
    return merged.filter(_pad(pc.invert(later), True, at_end=True))


def _concat_rows(parts: list[pa.Array]) -> pa.Array:
    if len({part.type for part in parts}) > 1:
        parts = [part.cast(pa.int64()) for part in parts]
    return pa.concat_arrays(parts)


def _mask(length: int, positions: pa.Array) -> pa.Array:
    return pc.is_in(_arange(length), value_set=positions.cast(pa.int64()))


def _pad(array: pa.Array, value: object, *, at_end: bool = False) -> pa.Array:
    extra = pa.array([value], array.type)
    return pa.concat_arrays([array, extra] if at_end else [extra, array])
