"""Notebook parameters: an empty value means the same thing for both notebooks and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import REPO, SAMPLE_DIR

from cutover_kit.report.parameters import (
    resolve_data_dir,
    resolve_ingest_options,
    resolve_output_dir,
    resolve_policy,
)
from cutover_kit.samples.location import default_data_dir, project_root


def test_empty_data_dir_is_the_bundled_sample_corpus() -> None:
    assert project_root() == REPO
    assert default_data_dir() == SAMPLE_DIR
    assert resolve_data_dir("") == SAMPLE_DIR
    assert resolve_data_dir("  ") == SAMPLE_DIR


def test_given_data_dir_is_taken_as_given(tmp_path: Path) -> None:
    assert resolve_data_dir(str(tmp_path)) == tmp_path
    assert resolve_data_dir("data/rehearsals") == Path("data/rehearsals")


def test_empty_policy_is_the_packaged_default(tmp_path: Path) -> None:
    assert resolve_policy("") is None
    assert resolve_policy(None) is None
    assert resolve_policy(str(tmp_path / "p.toml")) == tmp_path / "p.toml"


def test_output_dir_defaults_under_the_ignored_reports_folder(tmp_path: Path) -> None:
    given = resolve_output_dir(str(tmp_path / "out" / "deep"), "r14")
    assert given == tmp_path / "out" / "deep"
    assert given.is_dir()
    default = resolve_output_dir("", "parameters-test")
    try:
        assert default == REPO / "reports" / "parameters-test"
        assert default.is_dir()
    finally:
        default.rmdir()


def test_installed_package_generates_the_samples_once_into_the_cache(
    tmp_path: Path, monkeypatch
) -> None:
    from cutover_kit.samples import location

    monkeypatch.setattr(location, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    generated = default_data_dir()
    assert generated.parent == tmp_path / "cache" / "cutover-kit"
    # Hidden folders (the ingest cache CLI runs leave in data/rehearsals) are not rehearsals.
    assert sorted(p.name for p in generated.iterdir() if p.is_dir()) == sorted(
        p.name for p in SAMPLE_DIR.iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    session = generated / "r14" / "session.toml"
    assert session.read_bytes() == (SAMPLE_DIR / "r14" / "session.toml").read_bytes()
    assert default_data_dir() == generated


def test_ingest_options_of_the_notebooks(tmp_path: Path) -> None:
    default = resolve_ingest_options(False, "", 0)
    assert default.use_cache and default.cache_dir is None
    assert default.jobs == (os.cpu_count() or 1)
    given = resolve_ingest_options(True, str(tmp_path), 3)
    assert (given.use_cache, given.cache_dir, given.jobs) == (False, tmp_path, 3)
