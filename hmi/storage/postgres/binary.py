"""A batch of samples as one PostgreSQL binary COPY stream, built with numpy per tag: the rows of a
numeric tag are two fixed-size record layouts (with a value, and NULL when Bad), so no row goes
through Python one at a time. String tags, rare, are packed row by row."""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\0" + b"\0" * 8
TRAILER = b"\xff\xff"
COLUMNS = "tag_id, ts, value, text, quality"  # the order of every layout below

_HEAD = [("fields", ">i2"), ("l_id", ">i4"), ("tag_id", ">i4"), ("l_ts", ">i4"), ("ts", ">i8")]
_VALUED = np.dtype([*_HEAD, ("l_v", ">i4"), ("v", ">f8"), ("l_t", ">i4"), ("l_q", ">i4"), ("q", ">i2")])
_NULL = np.dtype([*_HEAD, ("l_v", ">i4"), ("l_t", ">i4"), ("l_q", ">i4"), ("q", ">i2")])
_STRING = struct.Struct(">hiiiqi")


@dataclass(frozen=True)
class Columns:
    """One numeric tag's rows as arrays; a value is NaN where the sample is Bad (stored as NULL)."""

    ts: np.ndarray
    values: np.ndarray
    quality: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[tuple]) -> Columns:
        """From rows with ts, value and quality from the second field on."""
        n = len(rows)
        return cls(
            np.fromiter((r[1] for r in rows), np.int64, n),
            np.fromiter((math.nan if r[2] is None else r[2] for r in rows), np.float64, n),
            np.fromiter((r[3] for r in rows), np.int16, n),
        )


def _records(dtype: np.dtype, tag_id: int, ts: np.ndarray, quality: np.ndarray) -> np.ndarray:
    out = np.empty(len(ts), dtype)
    out["fields"], out["l_id"], out["tag_id"], out["l_ts"], out["ts"] = 5, 4, tag_id, 8, ts
    out["l_t"], out["l_q"], out["q"] = -1, 2, quality
    return out


def numeric(tag_id: int, columns: Columns) -> bytes:
    valued = ~np.isnan(columns.values)
    some = _records(_VALUED, tag_id, columns.ts[valued], columns.quality[valued])
    some["l_v"], some["v"] = 8, columns.values[valued]
    if valued.all():
        return some.tobytes()
    none = _records(_NULL, tag_id, columns.ts[~valued], columns.quality[~valued])
    none["l_v"] = -1
    return some.tobytes() + none.tobytes()


def strings(tag_id: int, rows: Sequence[tuple]) -> bytes:
    out = bytearray()
    for row in rows:
        out += _STRING.pack(5, 4, tag_id, 8, row[1], -1)
        if row[2] is None:
            out += b"\xff\xff\xff\xff"
        else:
            text = str(row[2]).encode()
            out += struct.pack(">i", len(text)) + text
        out += struct.pack(">ih", 2, row[3])
    return bytes(out)
