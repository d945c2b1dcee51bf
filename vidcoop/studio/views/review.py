"""A reviewer's decision: approve the content shown, or ask for changes (for the job board: per row)."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vidcoop.review import Review, ReviewBook
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import Body, BodyError, body_of, info_or_404, studio_of
from vidcoop.studio.views.episode import review_data


class ReviewBody(Body):
    reviewer: str = Field(min_length=1, max_length=200)
    organisation: str = Field("", max_length=200)
    comment: str = Field("", max_length=5000)
    decision: str = Field(pattern="^(approve|changes)$")
    row: int | None = Field(None, ge=0, le=10_000_000)


async def add_review(request: Request) -> Response:
    body = await body_of(request, ReviewBody)
    return JSONResponse(await run_in_threadpool(record, studio_of(request), request.path_params["name"], body))


def record(studio: Studio, name: str, body: ReviewBody) -> dict[str, Any]:
    """Add the review for the episode's current content to the week's reviews file."""
    with studio.lock:
        info = info_or_404(studio, name, fresh=True)
        if info.error is not None:
            raise BodyError(400, "this episode does not load; fix it first")
        ReviewBook.load(studio.week(fresh=False).reviews_file).add(
            Review(
                episode=name,
                reviewer=body.reviewer.strip(),
                decision=body.decision,
                key=info.key,
                organisation=body.organisation.strip(),
                comment=body.comment,
                row=body.row,
            )
        )
        info = studio.week().get(name) or info
        return review_data(info)
