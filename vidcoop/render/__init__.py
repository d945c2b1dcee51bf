"""Rendering: plan (probe and validate), compile (pure), run (one ffmpeg process).

``vidcoop.render(episode, "out.mp4")`` calls :func:`vidcoop.render.api.render`:
the package itself is callable, because the function and the package share the
name users expect (``from vidcoop.render import render`` works as well).
"""

import sys
import types
from typing import Any

from vidcoop.render.api import RenderOptions, RenderResult, render
from vidcoop.render.graph import BurnIn, CompileOptions, compile_render
from vidcoop.render.plan import RenderPlan, plan_episode
from vidcoop.render.profiles import PROFILES, Profile, get_profile

__all__ = [
    "PROFILES",
    "BurnIn",
    "CompileOptions",
    "Profile",
    "RenderOptions",
    "RenderPlan",
    "RenderResult",
    "compile_render",
    "get_profile",
    "plan_episode",
    "render",
]


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> RenderResult:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
