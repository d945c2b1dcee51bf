"""vidcoop: vertical short videos for shared, topic-centred social-video channels.

The public API is small; heavy modules load on first use, so importing
vidcoop (and ``vidcoop --help``) does no work.
"""

from __future__ import annotations

from vidcoop._lazy import lazy_exports

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "VidcoopError": "vidcoop.errors",
    "ManifestError": "vidcoop.errors",
    "MediaError": "vidcoop.errors",
    "PolicyError": "vidcoop.errors",
    "RenderError": "vidcoop.errors",
    "TranscriptionError": "vidcoop.errors",
    "CaptionError": "vidcoop.errors",
    "OutputError": "vidcoop.errors",
    "Episode": "vidcoop.timeline.model",
    "Segment": "vidcoop.timeline.model",
    "Overlay": "vidcoop.timeline.model",
    "Reframe": "vidcoop.timeline.model",
    "Keyframe": "vidcoop.timeline.model",
    "ClipSource": "vidcoop.timeline.model",
    "CaptionSpec": "vidcoop.timeline.model",
    "probe": "vidcoop.media.probe",
    "MediaInfo": "vidcoop.media.probe",
    "Progress": "vidcoop.media.runner",
    "render": "vidcoop.render",
    "RenderOptions": "vidcoop.render.api",
    "RenderResult": "vidcoop.render.api",
    "load_episode": "vidcoop.timeline.manifest",
    "transcribe": "vidcoop.captions.transcribe",
    "transcribe_spans": "vidcoop.captions.transcribe",
    "TranscribeOptions": "vidcoop.captions.transcribe",
    "AudioSpan": "vidcoop.captions.transcribe",
    "Transcript": "vidcoop.captions.model",
    "Glossary": "vidcoop.captions.glossary",
    "load_glossary": "vidcoop.captions.glossary",
    "load_channel": "vidcoop.channel.config",
    "check_episode": "vidcoop.channel.policy",
    "check_render": "vidcoop.channel.assemble",
    "as_rendered": "vidcoop.channel.assemble",
    "AsRendered": "vidcoop.channel.assemble",
    "load_kit": "vidcoop.brand.kit",
}

__all__ = sorted([*_EXPORTS, "__version__"])

# vidcoop.render is the (callable) render package: vidcoop.render(episode, out)
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
