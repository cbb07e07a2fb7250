"""Matplotlib figures for the session report and the trend review: functions, not notebook code."""

PNG_OPTIONS = {"compress_level": 1}
"""How charts are saved as PNG (matplotlib's ``pil_kwargs``): zlib's fastest level keeps the same
pixels for a few percent more bytes and about a third less encoding time."""
