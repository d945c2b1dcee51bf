"""``vidcoop partners``: invite a channel's partners to their own pages, list the invitations, revoke one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from vidcoop.cli._echo import say

_CHANNEL = click.option("--channel", "channel_yaml", required=True, type=click.Path(path_type=Path),
                        help="The channel's channel.yaml (the partner database lies beside it).")
_BY = click.option("--by", default=None, metavar="NAME",
                   help="Your name for the audit log (default: your login name).")


@click.group()
def partners() -> None:
    """Personal links for the channel's partners (their job listings and sign-offs in the studio)."""


@partners.command()
@click.argument("partner_id", metavar="PARTNER-ID")
@_CHANNEL
@click.option("--days", type=click.IntRange(1, 365), default=30, show_default=True,
              help="How long the link works.")
@_BY
def invite(partner_id: str, channel_yaml: Path, days: int, by: str | None) -> None:
    """Print a new personal link for PARTNER-ID (it replaces the partner's older link)."""
    from vidcoop.partners import PartnerStore
    from vidcoop.partners.links import partner_link

    store = PartnerStore.open(channel_yaml)
    token = store.invite(partner_id, days=days, by=by or _login())
    invitation = next(i for i in store.invitations() if i.partner_id == partner_id)
    say(partner_link(store.channel, token))
    say(f"personal link for {partner_id} ({store.channel.partners[partner_id].name}), valid until "
        f"{_when(invitation.expires)}; shown only now: send it to the partner yourself "
        f"(persönlicher Link, nur jetzt sichtbar)", err=True)


@partners.command(name="list")
@_CHANNEL
def list_(channel_yaml: Path) -> None:
    """Every invitation: partner, invited, expires, revoked, last used (never the links)."""
    from vidcoop.partners import PartnerStore

    store = PartnerStore.open(channel_yaml)
    now = store.clock()
    rows = [("partner", "invited", "expires", "revoked", "last used", "state")]
    for inv in store.invitations():
        state = "revoked" if inv.revoked else "expired" if now >= inv.expires else "active"
        rows.append((inv.partner_id, _when(inv.created), _when(inv.expires), _when(inv.revoked),
                     _when(inv.last_used), state))
    uninvited = sorted(set(store.channel.partners) - {r[0] for r in rows[1:]})
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        say("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if uninvited:
        say(f"not invited: {', '.join(uninvited)}")


@partners.command()
@click.argument("partner_id", metavar="PARTNER-ID")
@_CHANNEL
@_BY
def revoke(partner_id: str, channel_yaml: Path, by: str | None) -> None:
    """Stop PARTNER-ID's link and sessions at once."""
    from vidcoop.partners import PartnerStore

    store = PartnerStore.open(channel_yaml)
    store.revoke(partner_id, by=by or _login())
    say(f"revoked: {partner_id}'s link no longer opens (widerrufen)")


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return "editor"


def _when(value: Any) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")
