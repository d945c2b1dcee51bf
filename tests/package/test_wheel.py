"""The package as a user gets it: sdist and wheel built with ``python -m build``, the wheel installed
into a fresh venv outside the repository (all dependencies from the wheel's own metadata), and used
from a folder that has never seen the repository.

Slow: the build takes about 10 s and the venv about 40 s with a warm pip cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import vidcoop
from tests.core.test_public_api import revealed_any

REPO = Path(__file__).resolve().parents[2]
KIT_FILES = (
    "kit.yaml",
    "logo.png",
    "fonts/AtkinsonHyperlegible-Regular.ttf",
    "fonts/AtkinsonHyperlegible-Bold.ttf",
    "fonts/OFL-AtkinsonHyperlegible.txt",
)
EXAMPLE_FILES = (
    "week.yaml",
    "jobs.csv",
    "README.md",
    "channel/channel.yaml",
    "channel/glossary.yaml",
    "episodes/was-ist-buergergeld.yaml",
    "footage/interview.mp4",
    "footage/phone.mp4",
)

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{cmd} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # Build from a copy, as from a clean clone: the build writes *.egg-info into its source folder.
    junk = (".git", ".venv", "__pycache__", "*.egg-info", "out", ".pytest_cache", ".mypy_cache", ".ruff_cache")
    source = tmp_path_factory.mktemp("source") / "vidcoop"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*junk))
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=out)
    return out


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_sdist_carries_what_a_rebuild_and_the_tests_need(dist: Path) -> None:
    with tarfile.open(_one(dist, "vidcoop-*.tar.gz")) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    wanted = {
        "setup.py",
        "pyproject.toml",
        "MANIFEST.in",
        "LICENSE",
        "README.md",
        ".ci/run",
        "tests/conftest.py",
        "tests/package/test_wheel.py",
        "tests/media/de_jobcenter.opus",
        "benchmarks/batch_bench.py",
        "docs/ARCHITECTURE.md",
        "examples/make_footage.py",
        "brand_kits/README.md",
        "brand_kits/make_logos.py",
    }
    wanted |= {f"examples/{f}" for f in EXAMPLE_FILES}
    wanted |= {f"brand_kits/{kit}/{f}" for kit in ("neutral", "wege-zum-job") for f in KIT_FILES}
    assert not wanted - names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_wheel_carries_kits_fonts_licences_and_the_example(dist: Path) -> None:
    with zipfile.ZipFile(_one(dist, "vidcoop-*.whl")) as whl:
        names = set(whl.namelist())
    shipped = "vidcoop/_shipped"
    wanted = {f"{shipped}/brand_kits/{kit}/{f}" for kit in ("neutral", "wege-zum-job") for f in KIT_FILES}
    wanted |= {f"{shipped}/examples/{f}" for f in EXAMPLE_FILES}
    wanted |= {
        "vidcoop/py.typed",
        "vidcoop/cli/main.py",
        "vidcoop/publish/templates/jobs.html",
        "vidcoop/studio/templates/base.html",
        "vidcoop/studio/static/studio.css",
    }
    assert not wanted - names
    assert not [n for n in names if n.startswith(("tests/", "brand_kits/", "examples/"))]  # only inside vidcoop/
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_the_wheel_works_in_a_fresh_venv_outside_the_repository(
    dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    venv = tmp_path_factory.mktemp("venv") / "v"
    work = tmp_path_factory.mktemp("newchannel")
    assert REPO not in work.parents and REPO not in venv.parents
    # Nothing of the test's own environment may leak in: no PYTHONPATH (it would show the checkout's
    # vidcoop and its egg-info to pip and Python), no kits override, no active venv.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIDCOOP_BRAND", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=work, env=env)
    py = venv / "bin" / "python"
    exe = venv / "bin" / "vidcoop"
    # Every dependency comes from the wheel's own metadata (pip's cache makes this quick). The example
    # explainer follows a face (reframe: auto), so the faces extra comes too.
    wheel = f"{_one(dist, '*.whl')}[faces]"
    _run(
        [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel],
        cwd=work,
        env=env,
    )

    assert _run([str(exe), "--version"], cwd=work, env=env).split()[-1] == vidcoop.__version__
    assert "neutral" in _run([str(exe), "brand", "check", "neutral"], cwd=work, env=env)

    _run([str(exe), "init", "ch", "--name", "Neuer Kanal"], cwd=work, env=env)
    channel = work / "ch"
    manifest = channel / "episodes" / "was-ist-buergergeld.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "captions: {mode: auto}" in text
    manifest.write_text(text.replace("captions: {mode: auto}", "captions: off"), encoding="utf-8")
    _run([str(exe), "check", "episodes/was-ist-buergergeld.yaml"], cwd=channel, env=env)
    _run(
        [str(exe), "render", "episodes/was-ist-buergergeld.yaml", "--profile", "preview", "--quiet"],
        cwd=channel,
        env=env,
    )
    info = vidcoop.probe(channel / "episodes" / "was-ist-buergergeld.preview.mp4")
    assert info.video is not None and (info.video.width, info.video.height) == (540, 960)
    assert info.duration > 10

    # The public API imports, and every vidcoop module and kit comes from the venv, not the repository.
    script = (
        "import importlib, pkgutil, sys, vidcoop\n"
        "from vidcoop.resources import kit_dir, example_dir\n"
        "missing = [n for n in vidcoop.__all__ if getattr(vidcoop, n, None) is None]\n"
        "assert not missing, missing\n"
        "for m in pkgutil.walk_packages(vidcoop.__path__, 'vidcoop.', onerror=lambda name: None):\n"
        "    if '._shipped' in m.name: continue\n"
        "    try: importlib.import_module(m.name)\n"
        "    except ModuleNotFoundError as e:\n"  # an extra that is not installed here (studio)
        "        if (e.name or '').startswith('vidcoop'): raise\n"
        "files = [m.__file__ for n, m in sys.modules.items() if n.startswith('vidcoop') and m.__file__]\n"
        "files += [str(kit_dir('neutral')), str(example_dir())]\n"
        "print('\\n'.join(files))\n"
    )
    paths = _run([str(py), "-c", script], cwd=work, env=env).split()
    assert len(paths) > 20
    outside = [p for p in paths if not Path(p).resolve().is_relative_to(venv.resolve())]
    assert not outside

    # A script author's editor sees real types from the wheel too: mypy --strict reveals no Any.
    _run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "mypy"], cwd=work, env=env)
    assert revealed_any(work, python=str(py), env=env) == []
