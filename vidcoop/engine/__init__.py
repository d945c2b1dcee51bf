"""The engine: plan (probe and validate), compile (pure), run (one ffmpeg process).

It encodes the assembled plan it is given (:func:`vidcoop.engine.api.encode`) and imports nothing of
:mod:`vidcoop.channel`. ``vidcoop.render(episode, "out.mp4")`` is :func:`vidcoop.pipeline.render`
(assemble, check, encode, report), a plain function.
"""

from vidcoop.engine.api import Assembled, RenderOptions, encode
from vidcoop.engine.graph import compile_render
from vidcoop.engine.options import BurnIn, CompileOptions
from vidcoop.engine.plan import RenderPlan, plan_episode
from vidcoop.engine.profiles import PROFILES, Profile, get_profile

__all__ = [
    "PROFILES",
    "Assembled",
    "BurnIn",
    "CompileOptions",
    "Profile",
    "RenderOptions",
    "RenderPlan",
    "compile_render",
    "encode",
    "get_profile",
    "plan_episode",
]

