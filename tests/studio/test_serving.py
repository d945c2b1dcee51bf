"""The browser-test guard: with CI=true a missing chromium fails; elsewhere it skips with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import serving


def _no_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(serving, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(serving.shutil, "which", lambda _name: None)


def test_missing_browser_fails_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_chromium(monkeypatch, tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="browser test cannot run in CI: no chromium"):
        serving.chromium_or_skip()


def test_missing_browser_skips_elsewhere_with_the_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_chromium(monkeypatch, tmp_path)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        serving.chromium_or_skip()
