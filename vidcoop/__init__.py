"""vidcoop: vertical short videos for shared, topic-centred social-video channels.

The public API is small; heavy modules load on first use, so importing
vidcoop (and ``vidcoop --help``) does no work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidcoop._lazy import lazy_exports
from vidcoop._version import __version__ as __version__

if TYPE_CHECKING:  # real types for mypy and pyright; at run time the names load lazily
    from vidcoop.brand.kit import load_kit as load_kit
    from vidcoop.captions.glossary import Glossary as Glossary
    from vidcoop.captions.glossary import load_glossary as load_glossary
    from vidcoop.captions.model import Transcript as Transcript
    from vidcoop.captions.options import TranscribeOptions as TranscribeOptions
    from vidcoop.captions.transcribe import AudioSpan as AudioSpan
    from vidcoop.captions.transcribe import transcribe as transcribe
    from vidcoop.captions.transcribe import transcribe_spans as transcribe_spans
    from vidcoop.channel.assemble import AsRendered as AsRendered
    from vidcoop.channel.assemble import as_rendered as as_rendered
    from vidcoop.channel.assemble import check_render as check_render
    from vidcoop.channel.config import load_channel as load_channel
    from vidcoop.channel.policy import check_episode as check_episode
    from vidcoop.engine.api import RenderOptions as RenderOptions
    from vidcoop.errors import CaptionError as CaptionError
    from vidcoop.errors import ManifestError as ManifestError
    from vidcoop.errors import MediaError as MediaError
    from vidcoop.errors import OutputError as OutputError
    from vidcoop.errors import PolicyError as PolicyError
    from vidcoop.errors import RenderError as RenderError
    from vidcoop.errors import TranscriptionError as TranscriptionError
    from vidcoop.errors import VidcoopError as VidcoopError
    from vidcoop.media.probing import MediaInfo as MediaInfo
    from vidcoop.media.probing import probe as probe
    from vidcoop.media.runner import Progress as Progress
    from vidcoop.pipeline import RenderResult as RenderResult
    from vidcoop.pipeline import render as render
    from vidcoop.roughcut.api import rough_cut as rough_cut
    from vidcoop.timeline.manifest import load_episode as load_episode
    from vidcoop.timeline.model import CaptionSpec as CaptionSpec
    from vidcoop.timeline.model import ClipSource as ClipSource
    from vidcoop.timeline.model import Episode as Episode
    from vidcoop.timeline.model import Keyframe as Keyframe
    from vidcoop.timeline.model import Overlay as Overlay
    from vidcoop.timeline.model import Reframe as Reframe
    from vidcoop.timeline.model import Segment as Segment


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
    "probe": "vidcoop.media.probing",
    "MediaInfo": "vidcoop.media.probing",
    "Progress": "vidcoop.media.runner",
    "render": "vidcoop.pipeline",
    "RenderOptions": "vidcoop.engine.api",
    "RenderResult": "vidcoop.pipeline",
    "load_episode": "vidcoop.timeline.manifest",
    "transcribe": "vidcoop.captions.transcribe",
    "transcribe_spans": "vidcoop.captions.transcribe",
    "TranscribeOptions": "vidcoop.captions.options",
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
    "rough_cut": "vidcoop.roughcut.api",
}

__all__ = sorted([*_EXPORTS, "__version__"])

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
