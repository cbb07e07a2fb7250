"""A warning raised while a report notebook runs reaches its page as one readable line."""

from __future__ import annotations

from pathlib import Path

from cutover_kit.cli import main
from cutover_kit.evidence.cache import CACHE_FILE, CACHE_FOLDER


def test_a_rebuilt_cache_is_one_line_on_the_report_page_not_a_line_of_code(
    sample_copy: Path, tmp_path: Path
) -> None:
    cache = sample_copy / CACHE_FOLDER / CACHE_FILE
    cache.parent.mkdir()
    cache.write_bytes(b"not a parquet file")
    out = tmp_path / "r15"
    assert main(["report", str(sample_copy), "--session", "r15", "--out", str(out), "--quiet"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert f"cutover-kit: warning: cache {cache} is unreadable" in page
    # Python's default hook added the warning's category, file and source line of kit code.
    assert "CacheWarning" not in page
    assert "IngestCache.open(" not in page
    assert "cutover-kit: warning" not in (out / "report.md").read_text(encoding="utf-8")
