"""Renderings of ledgers and verdicts: text and JSON summaries, verdict.json, JUnit XML."""
