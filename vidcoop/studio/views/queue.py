"""The editor's queue of partner submissions: accept (into the week's job list) or reject with a comment.

Editor pages: behind the studio's own guard, never reachable with a partner session. What
partners typed is shown literally (Jinja escapes it; the page's script sets text, never HTML).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vidcoop.channel import load_channel
from vidcoop.partners.signoff import board_signoffs
from vidcoop.review import clean_name
from vidcoop.studio.i18n import translator
from vidcoop.studio.partner_cards import FORM_FIELDS
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import Body, BodyError, body_of, page, studio_of
from vidcoop.studio.views.partners import _store_call, board_of, board_week, listing_data, store_of, week_name
from vidcoop.studio.week import JOBBOARD


class DecisionBody(Body):
    editor: str = Field(min_length=1, max_length=200)
    comment: str = Field("", max_length=5000)


def queue_data(studio: Studio) -> list[dict[str, Any]]:
    """The submitted listings, grouped by partner (by name), oldest first."""
    store = store_of(studio)
    partners = board_of(studio).partners
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for listing in store.queue():
        groups[listing.partner_id].append(listing_data(listing))
    return [{"id": pid, "name": partners[pid].name if pid in partners else pid, "listings": items}
            for pid, items in sorted(groups.items(), key=lambda kv: kv[0])]


async def queue_page(request: Request) -> Response:
    studio = studio_of(request)
    groups = await run_in_threadpool(queue_data, studio)
    view = studio.week(fresh=False)
    jobs = view.week.jobboard.jobs.name if view.week is not None and view.week.jobboard is not None else ""
    names = {x["week"]: week_name(x["week"]) for group in groups for x in group["listings"]}
    week = await run_in_threadpool(board_week, studio) if groups else ""
    return page(request, "queue.html", groups=groups, fields=FORM_FIELDS, jobs_file=jobs, week_names=names,
                board_week=week, board_week_name=week_name(week) if week else "")


async def queue_json(request: Request) -> Response:
    return JSONResponse({"partners": await run_in_threadpool(queue_data, studio_of(request))})


async def decide(request: Request) -> Response:
    """``accept`` (written into the week's jobs file) or ``reject`` (a comment is required)."""
    body = await body_of(request, DecisionBody)
    studio = studio_of(request)
    t = translator(studio.lang)
    editor = clean_name(body.editor)
    if not editor:
        raise BodyError(422, t("error.reviewer"))
    listing_id = request.path_params["id"]
    action = request.path_params["action"]
    if action not in ("accept", "reject"):
        raise BodyError(404, "no such action")

    def run() -> dict[str, Any]:
        store = store_of(studio)
        with studio.lock:
            if action == "accept":
                view = studio.week(fresh=False)
                assert view.week is not None and view.week.jobboard is not None  # store_of checked
                result = _store_call(studio, store.accept, listing_id, editor=editor,
                                     jobs_csv=view.week.jobboard.jobs, week=board_week(studio))
            else:
                if not body.comment.strip():
                    raise BodyError(422, t("queue.comment_needed"))
                result = _store_call(studio, store.reject, listing_id, editor=editor, comment=body.comment)
        return listing_data(result) if result is not None and hasattr(result, "fields") else {"ok": True}

    return JSONResponse(await run_in_threadpool(run))


def signoff_rows(studio: Studio) -> list[dict[str, Any]]:
    """Each partner with cards on this week's board and where its sign-off stands (for the week page)."""
    view = studio.week(fresh=False)
    if view.week is None or view.week.jobboard is None:
        return []
    episodes = [info.episode for info in view.items if info.kind == JOBBOARD and info.episode is not None]
    partners = load_channel(view.week.jobboard.channel).partners  # not the store: a look makes no database
    rows = []
    for entry in board_signoffs(episodes, view.week.jobboard.channel):
        own = entry.signoff
        rows.append({"id": entry.partner_id, "name": partners[entry.partner_id].name
                     if entry.partner_id in partners else entry.partner_id,
                     "state": entry.state, "current": entry.current, "by": own.by if own else "",
                     "comment": own.comment if own else ""})
    return rows
