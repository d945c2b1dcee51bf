"""The one subprocess module: children die with their parent, and an interrupt never loses ffmpeg."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from vidcoop.media import runner


def test_an_interrupt_while_ffmpeg_starts_arrives_after_start() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt):
        with runner._signals_held():
            os.kill(os.getpid(), signal.SIGINT)  # as if Ctrl-C came inside Popen
            reached.append("inside")  # not interrupted here: the process object gets assigned
        reached.append("after")
    assert reached == ["inside"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_ffmpeg_is_told_to_die_with_its_parent() -> None:
    """The child reads back its parent-death signal: SIGKILL (PR_GET_PDEATHSIG)."""
    import subprocess

    setup = runner._child_dies_with_us()
    assert setup is not None
    code = "import ctypes; v = ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(v), 0, 0, 0); print(v.value)"
    out = subprocess.run([sys.executable, "-c", code], preexec_fn=setup, capture_output=True, text=True, check=True)
    assert int(out.stdout) == signal.SIGKILL
