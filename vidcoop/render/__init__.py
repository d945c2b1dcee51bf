"""Rendering: plan (probe and validate), compile (pure), run (one ffmpeg process)."""

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
