"""Captions: transcribe speech, build on-screen cues, save caption files, burn them in.

The public names load their modules on first use, so importing this package
stays instant (no Pillow, pysubs2 or Whisper at import time)::

    from vidcoop import captions
    cues = captions.build(transcript, "social", kit_or_caption_style, cuts=cut_times)
    cues.save("episode.srt")
    captions.write_burn_ass(cues, style, width=1080, height=1920, path="episode.ass")

Transcribing is ``vidcoop.captions.transcribe.transcribe(path, TranscribeOptions(...))``;
the function is deliberately not re-exported here, because a package attribute
named ``transcribe`` would shadow the ``transcribe`` submodule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidcoop._lazy import lazy_exports

if TYPE_CHECKING:  # real types for mypy and pyright; at run time the names load lazily
    from vidcoop.captions.burn import burn_ass_text as burn_ass_text
    from vidcoop.captions.burn import fonts_dir_for as fonts_dir_for
    from vidcoop.captions.burn import write_burn_ass as write_burn_ass
    from vidcoop.captions.cuerules import RuleReport as RuleReport
    from vidcoop.captions.cuerules import check_subtitle_rules as check_subtitle_rules
    from vidcoop.captions.cues import BUILDERS as BUILDERS
    from vidcoop.captions.cues import CueRules as CueRules
    from vidcoop.captions.cues import build as build
    from vidcoop.captions.formats import FORMATS as FORMATS
    from vidcoop.captions.formats import CaptionFormat as CaptionFormat
    from vidcoop.captions.formats import Cues as Cues
    from vidcoop.captions.formats import ass_escape as ass_escape
    from vidcoop.captions.model import Cue as Cue
    from vidcoop.captions.model import Transcript as Transcript
    from vidcoop.captions.model import TranscriptSegment as TranscriptSegment
    from vidcoop.captions.model import Word as Word
    from vidcoop.captions.options import TranscribeOptions as TranscribeOptions
    from vidcoop.captions.style import CaptionStyle as CaptionStyle
    from vidcoop.captions.style import default_style as default_style
    from vidcoop.text.fit import FitOptions as FitOptions
    from vidcoop.text.fit import FittedText as FittedText
    from vidcoop.text.fit import TextDoesNotFit as TextDoesNotFit
    from vidcoop.text.fit import fit_text as fit_text
    from vidcoop.text.fonts import text_width as text_width


# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Word": "vidcoop.captions.model",
    "TranscriptSegment": "vidcoop.captions.model",
    "Transcript": "vidcoop.captions.model",
    "Cue": "vidcoop.captions.model",
    "CaptionStyle": "vidcoop.captions.style",
    "default_style": "vidcoop.captions.style",
    "build": "vidcoop.captions.cues",
    "CueRules": "vidcoop.captions.cues",
    "BUILDERS": "vidcoop.captions.cues",
    "RuleReport": "vidcoop.captions.cuerules",
    "check_subtitle_rules": "vidcoop.captions.cuerules",
    "Cues": "vidcoop.captions.formats",
    "FORMATS": "vidcoop.captions.formats",
    "CaptionFormat": "vidcoop.captions.formats",
    "ass_escape": "vidcoop.captions.formats",
    "FitOptions": "vidcoop.text.fit",
    "FittedText": "vidcoop.text.fit",
    "TextDoesNotFit": "vidcoop.text.fit",
    "fit_text": "vidcoop.text.fit",
    "text_width": "vidcoop.text.fonts",
    "write_burn_ass": "vidcoop.captions.burn",
    "burn_ass_text": "vidcoop.captions.burn",
    "fonts_dir_for": "vidcoop.captions.burn",
    "TranscribeOptions": "vidcoop.captions.options",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
