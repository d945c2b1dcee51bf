"""A reviewer's decision: approve the content shown, or ask for changes (for the job board: per row).

The request names the content key the reviewer saw; when the episode changed since, the
decision is refused (409), so an approval never counts for content nobody looked at.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vidcoop.review import APPROVE, Review, ReviewBook, clean_name
from vidcoop.studio.cues import open_points
from vidcoop.studio.i18n import open_points_text, translator
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import Body, BodyError, body_of, info_or_404, studio_of
from vidcoop.studio.views.episode import review_data
from vidcoop.studio.views.jobboard import cards_of
from vidcoop.studio.week import JOBBOARD, EpisodeInfo


class ReviewBody(Body):
    reviewer: str = Field(min_length=1, max_length=200)
    organisation: str = Field("", max_length=200)
    comment: str = Field("", max_length=5000)
    decision: str = Field(pattern="^(approve|changes)$")
    row: int | None = Field(None, ge=0, le=10_000_000)
    key: str = Field(min_length=1, max_length=128)  # the content key the page showed
    # The reviewer's "approve anyway" after the page showed the open points (rule breaks, unchecked words).
    confirm_open: bool = False


async def add_review(request: Request) -> Response:
    body = await body_of(request, ReviewBody)
    return JSONResponse(await run_in_threadpool(record, studio_of(request), request.path_params["name"], body))


def record(studio: Studio, name: str, body: ReviewBody) -> dict[str, Any]:
    """Add the review of the content the reviewer saw to the week's reviews file."""
    t = translator(studio.lang)
    reviewer = clean_name(body.reviewer)
    if not reviewer:
        raise BodyError(422, t("error.reviewer"))
    with studio.lock:
        info = info_or_404(studio, name, fresh=True)
        if info.error is not None:
            raise BodyError(400, "this episode does not load; fix it first")
        check_row(info, body.row, t)
        if body.key != info.key:
            raise BodyError(409, t("error.review_stale"))
        rules, words, speech = open_points(studio, info) if body.decision == APPROVE else (0, 0, 0)
        if (rules or words or speech) and not body.confirm_open:
            # Asked first: the page shows the question and sends it again with confirm_open.
            points = open_points_text(rules, words, t, speech=speech)
            raise BodyError(428, t("error.open_points", points=points),
                            open={"rules": rules, "words": words, "speech": speech},
                            question=t("review.open_question", points=points))
        ReviewBook.load(studio.week(fresh=False).reviews_file).add(
            Review(
                episode=name,
                reviewer=reviewer,
                decision=body.decision,
                key=info.key,
                organisation=clean_name(body.organisation),
                comment=body.comment,
                row=body.row,
                open_rules=rules,
                open_words=words,
                open_speech=speech,
            )
        )
        info = studio.week().get(name) or info
        return review_data(info, studio.lang)


def check_row(info: EpisodeInfo, row: int | None, t: Any) -> None:
    """A row is a job-board row the page shows; other episodes have none."""
    if row is None:
        return
    if info.kind != JOBBOARD:
        raise BodyError(422, t("error.no_row"))
    if row not in {card["row"] for card in cards_of(info)}:
        raise BodyError(422, t("error.row", row=row))
