"""``vidcoop captions INPUT``: an episode's captions on its timeline, a clip transcribed, a caption file converted."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vidcoop.cli._choices import RegistryChoice
from vidcoop.cli._echo import say

if TYPE_CHECKING:
    from vidcoop.captions.formats import Cues

_CAPTION_SUFFIXES = (".srt", ".vtt", ".ass", ".ssa", ".json")
_EPISODE_SUFFIXES = (".yaml", ".yml")


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Caption file to write (default: INPUT.srt).")
@click.option(
    "--format", "fmt", type=RegistryChoice("vidcoop.captions.formats", "FORMATS"),
    help="File format (default: from -o, else srt).",
)  # fmt: skip
@click.option(
    "--style", type=RegistryChoice("vidcoop.captions.cues", "BUILDERS"), default="subtitle", show_default=True,
    help="social: 1-3 words with the spoken word highlighted; subtitle: 2 lines of at most 42 characters.",
)  # fmt: skip
@click.option("--language", default="de", show_default=True, help="Language spoken, or 'auto' to detect it.")
@click.option("--model", default=None, help="Whisper model name or folder (default: the offline base model).")
@click.option("--glossary", type=click.Path(path_type=Path), help="Glossary YAML with names and spellings.")
@click.option("--backend", default="faster-whisper", show_default=True,
              help="Transcription backend: faster-whisper, or openai-whisper (extra vidcoop[openai-whisper]).")
@click.option("--kit", default=None, help="Brand kit (name or folder) whose caption style to wrap for.")
def captions(
    input_path: Path,
    output: Path | None,
    fmt: str | None,
    style: str,
    language: str,
    model: str | None,
    glossary: Path | None,
    backend: str,
    kit: str | None,
) -> None:
    """Make caption cues from INPUT and save them as SRT, WebVTT, ASS or JSON.

    INPUT is an episode manifest (.yaml): its captions on the episode's timeline, as the video
    shows them (intro card included), transcribed with the episode's own settings (or its caption
    file, checked and converted); fix the text and name the file in the episode's captions:.
    Or a video or audio file (it is transcribed: times are the clip's, not an episode's), or an
    existing caption file (.srt, .vtt, .ass, .json) to convert between formats; a vidcoop
    transcript .json is turned into cues without transcribing again.
    """
    from vidcoop.captions.cuerules import check_subtitle_rules
    from vidcoop.captions.cues import build, resolve_style
    from vidcoop.captions.formats import FORMATS, Cues, format_for_path
    from vidcoop.errors import CaptionError, MediaError

    if not input_path.exists():
        raise MediaError("input file not found", path=input_path, field="INPUT")
    name = fmt or (format_for_path(output) if output is not None else "srt")
    target = output or input_path.with_suffix(FORMATS[name].extensions[0])
    if output is None and target.resolve() == input_path.resolve():
        raise click.UsageError(f"{input_path} would overwrite itself; give -o OUT or another --format")
    caption_style = None
    loaded_kit = None
    if kit is not None:
        from vidcoop.brand.kit import load_kit

        loaded_kit = load_kit(kit)
        caption_style = resolve_style(style, loaded_kit)
    from vidcoop.outputs import Input, check_outputs, kit_inputs

    inputs = [Input(input_path, "INPUT"), *kit_inputs(loaded_kit)]
    episode = _load_episode(input_path) if input_path.suffix.lower() in _EPISODE_SUFFIXES else None
    if episode is not None:
        inputs += [Input(seg.source, f"segments.{i}.source") for i, seg in enumerate(episode.segments)
                   if isinstance(seg.source, Path)]
        if episode.captions.path is not None:
            inputs.append(Input(episode.captions.path, "captions.file"))
    if glossary is not None:
        inputs.append(Input(glossary, "--glossary"))
    check_outputs([("-o" if output is not None else "output", target)], inputs)  # before transcribing

    suffix = input_path.suffix.lower()
    transcript = None
    cues: Cues | None = None
    terms: tuple[str, ...] = ()  # the glossary's, so a web address among them is not flagged
    if episode is not None:
        cues = _episode_cues(episode)
    elif suffix == ".json" and _is_transcript_json(input_path):
        from vidcoop.captions.transcript_io import load_transcript

        transcript = load_transcript(input_path)
    elif suffix in _CAPTION_SUFFIXES:
        cues = Cues.load(input_path, style=style)
    else:
        from vidcoop.captions.glossary import load_glossary
        from vidcoop.captions.options import TranscribeOptions
        from vidcoop.captions.transcribe import transcribe

        options = TranscribeOptions(
            backend=backend,
            model=model,
            language=None if language.lower() == "auto" else language,
            glossary=load_glossary(glossary) if glossary is not None else None,
        )
        transcript = transcribe(input_path, options)
        terms = options.glossary.terms if options.glossary is not None else ()
    if transcript is not None:
        cues = build(transcript, style, caption_style, terms=terms)
    if cues is None:  # pragma: no cover - every branch above sets cues or a transcript
        raise CaptionError("no cues were made", path=input_path)
    written = cues.save(target, name)
    summary = f"wrote {written} ({len(cues)} cues, {cues.style}, {name})"
    if cues.style == "subtitle" and len(cues):
        report = check_subtitle_rules(cues, resolve_style("subtitle", caption_style))
        summary += f"; {report.violating} of {report.cues} cues break a subtitle rule"
    say(summary)
    for line in cues.warnings():  # speech without captions, unsaid words, cues to check
        say(f"warning: {line}", err=True)


def _load_episode(manifest: Path) -> Any:
    """The episode, with captions made as ``captions: auto`` would when it has them off (the editor asks for them)."""
    from dataclasses import replace

    from vidcoop.timeline.manifest import load_episode

    episode = load_episode(manifest)
    if episode.captions.mode == "off":
        episode = replace(episode, captions=replace(episode.captions, mode="auto", path=None))
    return episode


def _episode_cues(episode: Any) -> Cues:
    """The cues a render of the episode burns, on its timeline (its caption file checked to fit it)."""
    from vidcoop.errors import CaptionError
    from vidcoop.pipeline import episode_cues

    made = episode_cues(episode)
    if made is None:  # captions are on (see _load_episode): never None
        raise CaptionError("the episode has no captions", path=episode.manifest, field="captions")
    return made


def _is_transcript_json(path: Path) -> bool:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and str(data.get("schema", "")).startswith("vidcoop.transcript")
