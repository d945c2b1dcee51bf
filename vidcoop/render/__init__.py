"""The render engine: plan (probe and validate), compile (pure), run (one ffmpeg process).

The engine encodes the assembled plan it is given (:func:`vidcoop.render.api.encode`)
and imports nothing of :mod:`vidcoop.channel`. ``vidcoop.render(episode, "out.mp4")``
and ``from vidcoop.render import render`` reach :func:`vidcoop.pipeline.render`
(assemble, check, encode, report): the package itself is callable, because the
function and the package share the name users expect.
"""

import sys
import types
from typing import Any

from vidcoop.render.api import Assembled, RenderOptions, RenderResult, encode
from vidcoop.render.graph import BurnIn, CompileOptions, compile_render
from vidcoop.render.plan import RenderPlan, plan_episode
from vidcoop.render.profiles import PROFILES, Profile, get_profile

__all__ = [
    "PROFILES",
    "Assembled",
    "BurnIn",
    "CompileOptions",
    "Profile",
    "RenderOptions",
    "RenderPlan",
    "RenderResult",
    "compile_render",
    "encode",
    "get_profile",
    "plan_episode",
    "render",
]


def render(*args: Any, **kwargs: Any) -> RenderResult:
    """:func:`vidcoop.pipeline.render`: assemble, check, encode and report one episode."""
    from vidcoop.pipeline import render as _render

    return _render(*args, **kwargs)


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> RenderResult:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
