"""Frames and statistics the notebooks display: one module per view of the evidence."""
