"""``hlox.debug``: ``visualize_array_sharding`` / ``visualize_sharding``.

They print the layout JAX's do (``jax.debug.visualize_array_sharding``: a table of
boxes, one per distinct shard, sized in proportion to the piece, naming the devices
that hold it), as plain text: JAX draws it with ``rich``; hlox draws the same box
characters itself, so it needs no extra package.
"""

from __future__ import annotations

import sys

__all__ = ["visualize_array_sharding", "visualize_sharding"]


def visualize_array_sharding(arr, **kwargs) -> None:
    """Prints how ``arr`` (an hlox Array of rank 1 or 2) is laid out over devices."""
    sharding = getattr(arr, "sharding", None)
    if sharding is None:
        raise TypeError(f"visualize_array_sharding: expected an hlox Array, got "
                        f"{type(arr).__name__}")
    visualize_sharding(arr.shape, sharding, **kwargs)


def visualize_sharding(shape, sharding, *, use_color: bool = False, scale: float = 1.0,
                       min_width: int = 9, max_width: int = 80, color_map=None,
                       file=None) -> None:
    """Prints the layout of an array of ``shape`` (rank 1 or 2) under ``sharding``."""
    shape = tuple(shape)
    if not 1 <= len(shape) <= 2:
        raise ValueError("`visualize_sharding` only works for shapes with 1 and 2 dimensions.")
    print(_layout(shape, sharding, scale, min_width, max_width),
          file=file or sys.stdout)


def _layout(shape, sharding, scale, min_width, max_width) -> str:
    # Sizes as JAX computes them: 10 lines for the whole height, widths 2.5x the
    # aspect ratio (characters are taller than wide).
    base_height = int(10 * scale)
    base_width = int(base_height * (shape[1] if len(shape) == 2 else 1) / shape[0])
    kind = sharding._device_assignment[0].platform.upper()
    cells: dict = {}  # (row, col) -> (devices, height fraction or None, width fraction)
    for device, index in sharding.devices_indices_map(shape).items():
        slices = [s if isinstance(s, slice) else slice(s, s + 1) for s in index]
        position, fractions = [], []
        for size, s in zip(shape, slices):
            start, stop = (s.start or 0), (size if s.stop is None else s.stop)
            position.append(start // (stop - start) if stop > start else 0)
            fractions.append((stop - start) / size if size else 1.0)
        if len(shape) == 1:
            key, height, width = (0, position[0]), None, fractions[0]
        else:
            key, height, width = tuple(position), fractions[0], fractions[1]
        ids, _, _ = cells.setdefault(key, (set(), height, width))
        ids.add(device.id)
    rows = max(k[0] for k in cells) + 1
    cols = max(k[1] for k in cells) + 1
    grid = [[None] * cols for _ in range(rows)]
    for (r, c), (ids, height, width) in cells.items():
        text = f"{kind} " + ",".join(str(i) for i in sorted(ids))
        w = min(max(int(width * base_width * 2.5), min_width), max_width)
        h = 1 if height is None else int(height * base_height)
        left, extra = divmod(w - len(text) - 2, 2)
        top, extra_v = divmod(h - 2, 2)
        if height is None:
            top, extra_v = 0, 0
        grid[r][c] = (text, max(left, 0), max(left + extra, 0), max(top, 0),
                      max(top + extra_v, 0))
    widths = [max(len(t) + lp + rp for t, lp, rp, _, _ in (grid[r][c] for r in range(rows)))
              for c in range(cols)]
    lines = ["┌" + "┬".join("─" * w for w in widths) + "┐"]
    for r in range(rows):
        height = max(1 + tp + bp for _, _, _, tp, bp in grid[r])
        block = []
        for c in range(cols):
            text, lp, rp, tp, bp = grid[r][c]
            body = " " * lp + text + " " * rp
            pad, more = divmod(widths[c] - len(body), 2)
            body = " " * pad + body + " " * (pad + more)
            column = [" " * widths[c]] * tp + [body] + [" " * widths[c]] * (height - tp - 1)
            block.append(column)
        for i in range(height):
            lines.append("│" + "│".join(column[i] for column in block) + "│")
        if r + 1 < rows:
            lines.append("├" + "┼".join("─" * w for w in widths) + "┤")
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return "\n".join(lines)
