"""Media: ffmpeg discovery, probing and audio decoding with PyAV, and the one subprocess runner."""

from vidcoop.media.ffmpeg import ffmpeg_exe, set_ffmpeg
from vidcoop.media.probing import AudioInfo, MediaInfo, VideoInfo, probe
from vidcoop.media.runner import Progress, run_ffmpeg

__all__ = ["AudioInfo", "MediaInfo", "Progress", "VideoInfo", "ffmpeg_exe", "probe", "run_ffmpeg", "set_ffmpeg"]
