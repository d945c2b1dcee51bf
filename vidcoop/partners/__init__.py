"""Partner self-service: invitations, the partners' own job listings, sign-offs, and the audit log.

    store = vidcoop.partners.PartnerStore.open(Path("channel/channel.yaml"))
    token = store.invite("caritas-musterstadt", by="Anna")       # the personal link's secret, once
    store.audit().verify()                                       # AuditCheck(ok=True, rows=1)

One SQLite file (``.vidcoop-partners.sqlite``) beside ``channel.yaml`` holds it all; accepted listings go
into the week's CSV job list, which ``vidcoop jobboard`` and ``batch`` read unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidcoop._lazy import lazy_exports

if TYPE_CHECKING:  # real types for mypy and pyright; at run time the names load lazily
    from vidcoop.partners.audit import AuditCheck as AuditCheck
    from vidcoop.partners.audit import AuditLog as AuditLog
    from vidcoop.partners.audit import AuditRow as AuditRow
    from vidcoop.partners.audit import content_hash as content_hash
    from vidcoop.partners.audit import verify_export as verify_export
    from vidcoop.partners.db import db_path as db_path
    from vidcoop.partners.model import HEADERS as HEADERS
    from vidcoop.partners.model import Invitation as Invitation
    from vidcoop.partners.model import Listing as Listing
    from vidcoop.partners.model import ListingInvalid as ListingInvalid
    from vidcoop.partners.model import ListingState as ListingState
    from vidcoop.partners.model import NotYours as NotYours
    from vidcoop.partners.model import OtherWeek as OtherWeek
    from vidcoop.partners.model import PartnerError as PartnerError
    from vidcoop.partners.model import SignOff as SignOff
    from vidcoop.partners.model import StaleListing as StaleListing
    from vidcoop.partners.store import PartnerStore as PartnerStore

_EXPORTS: dict[str, str] = {
    "PartnerStore": "vidcoop.partners.store",
    "Invitation": "vidcoop.partners.model",
    "Listing": "vidcoop.partners.model",
    "SignOff": "vidcoop.partners.model",
    "HEADERS": "vidcoop.partners.model",
    "PartnerError": "vidcoop.partners.model",
    "NotYours": "vidcoop.partners.model",
    "ListingInvalid": "vidcoop.partners.model",
    "ListingState": "vidcoop.partners.model",
    "StaleListing": "vidcoop.partners.model",
    "OtherWeek": "vidcoop.partners.model",
    "AuditLog": "vidcoop.partners.audit",
    "AuditRow": "vidcoop.partners.audit",
    "AuditCheck": "vidcoop.partners.audit",
    "content_hash": "vidcoop.partners.audit",
    "verify_export": "vidcoop.partners.audit",
    "db_path": "vidcoop.partners.db",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
