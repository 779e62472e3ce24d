"""Peak decimation of dense curves: about two points a pixel that keep every spike and every gap.

A min/max pyramid (blocks of 8, 16, 32, ... samples) is built once per data set, so a pan or a zoom over
a million points costs a slice of a few thousand blocks instead of a pass over the visible samples.
No Qt here: the plot feeds what `visible` returns to its curves.
"""

from __future__ import annotations

import math

import numpy as np

BASE = 8
"""The finest block the pyramid keeps; finer decimation is computed from the samples in view."""

Blocks = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Per block: lowest and highest value (NaN if it holds none) and whether it holds a NaN (a gap)."""


def blocks(y: np.ndarray, size: int) -> Blocks:
    """Min, max and gap of consecutive blocks of `size` samples; a short last block is its own."""
    whole = len(y) // size * size
    body = y[:whole].reshape(-1, size)
    lo, hi, gap = np.fmin.reduce(body, axis=1), np.fmax.reduce(body, axis=1), np.isnan(body).any(axis=1)
    if whole < len(y):
        tail = y[whole:]
        lo, hi = np.append(lo, np.fmin.reduce(tail)), np.append(hi, np.fmax.reduce(tail))
        gap = np.append(gap, np.isnan(tail).any())
    return lo, hi, gap


def _coarser(level: Blocks) -> Blocks:
    """The next level: pairs of blocks merged (a last unpaired block stays as it is)."""
    lo, hi, gap = level
    if len(lo) % 2:
        lo, hi, gap = np.append(lo, lo[-1]), np.append(hi, hi[-1]), np.append(gap, gap[-1])
    return (np.fmin(lo[0::2], lo[1::2]), np.fmax(hi[0::2], hi[1::2]), gap[0::2] | gap[1::2])


class Decimator:
    """One curve's samples (x ascending) and the pyramid levels built so far."""

    def __init__(self, x: np.ndarray, y: np.ndarray):
        self.x, self.y = x, y
        self._levels: dict[int, Blocks] = {}

    def level(self, size: int) -> Blocks:
        """Blocks of `size` samples (a power of two, at least BASE), built from the next finer level."""
        found = self._levels.get(size)
        if found is None:
            found = blocks(self.y, size) if size <= BASE else _coarser(self.level(size // 2))
            self._levels[size] = found
        return found

    def visible(self, t0: float, t1: float, px: int) -> tuple[np.ndarray, np.ndarray]:
        """The points to draw for [t0, t1] on px pixels: the samples themselves while there are at most
        two a pixel, else each block's min and max at its start (at most one block a pixel), with a
        break on both sides of a block that holds a gap, then the last sample (the line ends where the
        data does). One sample beyond each edge keeps the line running out of the view."""
        x, y = self.x, self.y
        i0 = max(int(np.searchsorted(x, t0, side="left")) - 1, 0)
        i1 = min(int(np.searchsorted(x, t1, side="right")) + 1, len(x))
        n = i1 - i0
        if n <= 2 * px:
            return x[i0:i1], y[i0:i1]
        size = 1 << math.ceil(math.log2(n / px))
        b0, b1 = i0 // size, -(-i1 // size)  # blocks on a fixed grid: a pan does not make them shimmer
        if size < BASE:
            lo, hi, gap = blocks(y[b0 * size : min(b1 * size, len(y))], size)
        else:
            lo, hi, gap = (a[b0:b1] for a in self.level(size))
        starts = x[b0 * size : b1 * size : size]
        if gap.any():
            nan = np.full(len(lo), np.nan)
            keep = np.column_stack((gap, np.ones_like(gap), np.ones_like(gap), gap)).ravel()
            xs, ys = np.repeat(starts, 4)[keep], np.column_stack((nan, lo, hi, nan)).ravel()[keep]
        else:
            xs, ys = np.repeat(starts, 2), np.column_stack((lo, hi)).ravel()
        return np.append(xs, x[i1 - 1]), np.append(ys, y[i1 - 1])
