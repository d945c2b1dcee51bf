"""The layers of docs/ARCHITECTURE.md hold: import-linter's contracts in pyproject.toml, and registries
whose names a lower layer states."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(lint).exists():
        pytest.fail("lint-imports is missing: install vidcoop[test]")
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "3 kept, 0 broken" in done.stdout, done.stdout[-2000:]


def test_no_contract_ignores_an_import() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "ignore_imports" not in text


def test_reframe_modes_are_the_engines_builders() -> None:
    from vidcoop.engine.reframe import REFRAMERS
    from vidcoop.timeline.model import REFRAME_MODES

    assert tuple(REFRAMERS) == REFRAME_MODES


def test_caption_styles_are_the_cue_builders() -> None:
    from vidcoop.captions.cues import BUILDERS
    from vidcoop.timeline.model import CAPTION_STYLES

    assert tuple(BUILDERS) == CAPTION_STYLES
