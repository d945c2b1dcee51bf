"""A partner's personal link: the channel's ``studio_url`` (default: the local studio) + ``/p/`` + the token."""

from __future__ import annotations

from vidcoop.channel.config import Channel

#: ``vidcoop studio``'s own address when nothing else is said (its ``--host`` and ``--port`` defaults).
DEFAULT_STUDIO_URL = "http://127.0.0.1:8765"
#: The studio route that swaps a link's token for a session cookie.
LINK_PATH = "/p/"


def studio_url(channel: Channel) -> str:
    """Where partners reach the studio, without a trailing slash."""
    return (channel.studio_url or DEFAULT_STUDIO_URL).rstrip("/")


def partner_link(channel: Channel, token: str) -> str:
    """The address a partner opens: ``<studio_url>/p/<token>``."""
    return f"{studio_url(channel)}{LINK_PATH}{token}"
