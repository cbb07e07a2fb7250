"""The names of the files a report folder holds, in a module light enough for the CLI to import
before a kernel starts (the heavy modules run inside the notebook)."""

from __future__ import annotations

from typing import Final

REPORT_HTML: Final = "report.html"
REPORT_MD: Final = "report.md"
VERDICT_JSON: Final = "verdict.json"
GATES_JUNIT: Final = "gates.junit.xml"
TREND_HTML: Final = "trend.html"
EXECUTED_NOTEBOOK: Final = "notebook.ipynb"
