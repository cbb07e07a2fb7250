"""Short words written at many points of a chart (GO / NO, status letters) in one artist each.

An annotation per cell made a text artist per cell, each laid out and rasterised on its own: the
verdict timeline of fifteen rehearsals wrote sixty of them. Here every occurrence of a word is a
marker shaped like the word (the font's glyph outlines, centred on their box) in a single
scatter, so a word costs one collection however many cells carry it; it reads the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

WRITTEN = "written:"
"""The gid prefix of a word's collection (the word follows), so a chart's words can be found."""


@cache
def word_marker(word: str, bold: bool) -> tuple[Path, float]:
    """``word`` as a marker path centred on its box, and its larger side in font-size units
    (a marker is scaled by its larger side, text by its font size)."""
    weight = "bold" if bold else "normal"
    path = TextPath((0, 0), word, size=1, prop=FontProperties(family="sans-serif", weight=weight))
    box = path.get_extents()
    centred = path.transformed(Affine2D().translate(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2))
    return centred, max(box.width, box.height)


def write_at(
    axis: Axes,
    points: Sequence[tuple[float, float]],
    word: str,
    fontsize: float,
    colour: str,
    *,
    bold: bool = False,
) -> None:
    """Write ``word`` centred on every point (data coordinates) at ``fontsize`` points."""
    if not points or not word:
        return
    marker, extent = word_marker(word, bold)
    side = extent * fontsize
    axis.scatter(
        [x for x, _ in points],
        [y for _, y in points],
        marker=marker,
        s=side * side,
        c=colour,
        linewidths=0,
        zorder=3,
        gid=f"{WRITTEN}{word}",
    )


def written_cells(axis: Axes) -> int:
    """How many points of ``axis`` carry a word written by :func:`write_at`."""
    counts = [
        int(np.asarray(collection.get_offsets()).shape[0])
        for collection in axis.collections
        if str(collection.get_gid() or "").startswith(WRITTEN)
    ]
    return sum(counts)
