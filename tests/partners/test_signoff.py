"""Partners' sign-offs of their cards: ``vidcoop status`` shows them, ``batch --approved-only`` needs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.studio.conftest import EPISODE
from vidcoop.batch import BatchOptions, run_batch
from vidcoop.cli.main import cli
from vidcoop.partners import PartnerStore
from vidcoop.partners.db import db_path
from vidcoop.partners.signoff import board_cards, board_signoffs, partner_content, partner_content_hash
from vidcoop.review import book as rv
from vidcoop.studio.week import WeekView

BOARD = "stellenboerse-kw48"
WEEK = "2026-W48"
PARTNERS = ["caritas-musterstadt", "diakonie-musterstadt", "paritaetischer-musterstadt"]
BATCH_FAKES = Path(__file__).resolve().parents[1] / "batch"


def _board(week: Path) -> tuple[list, Path]:  # type: ignore[type-arg]
    view = WeekView.open(week)
    assert view.week is not None and view.week.jobboard is not None
    return [i.episode for i in view.items if i.kind == "jobboard"], view.week.jobboard.channel


def _sign(week: Path, partner: str, *, approved: bool = True, content: str | None = None) -> None:
    episodes, channel_yaml = _board(week)
    store = PartnerStore.open(channel_yaml)
    seen = content or partner_content_hash(episodes, partner, store.channel)
    store.sign_off(partner, WEEK, approved=approved, comment="" if approved else "Nummer falsch", by="Petra",
                   content_hash=seen)


def _invite(week: Path, *partners: str) -> None:
    _, channel_yaml = _board(week)
    store = PartnerStore.open(channel_yaml)
    for partner in partners:
        store.invite(partner, by="Anna")


def _approve(week: Path, name: str) -> None:
    info = WeekView.open(week).get(name)
    assert info is not None
    rv.ReviewBook.for_week(week).add(rv.Review(episode=name, reviewer="Anna", decision=rv.APPROVE, key=info.key))


def test_partner_actions_leave_the_weeks_approvals_standing(example_week: Path) -> None:
    """The database lies in the channel's folder, an input of every episode's content key: it must not count."""
    WeekView.open(example_week)  # draws the cards (the first drawing alone changes the board's key: not ours)
    before = {i.name: i.key for i in WeekView.open(example_week).items}
    _sign(example_week, "caritas-musterstadt")
    store = PartnerStore.open(_board(example_week)[1])
    store.invite("caritas-musterstadt", by="Anna")
    assert db_path(store.channel.path).exists()
    assert {i.name: i.key for i in WeekView.open(example_week).items} == before


def test_content_names_only_the_partners_own_cards(example_week: Path) -> None:
    episodes, channel_yaml = _board(example_week)
    channel = PartnerStore.open(channel_yaml).channel
    content = partner_content(episodes, "caritas-musterstadt", channel)
    assert content["week"] == WEEK and content["credit"] == "Caritas Musterstadt"
    assert [c["fields"]["partner"] for c in content["cards"]] == ["caritas-musterstadt"] * len(content["cards"])
    assert len(content["cards"]) == 2 and all(len(c["key"]) == 64 for c in content["cards"])
    hashes = {p: partner_content_hash(episodes, p, channel) for p in PARTNERS}
    assert len(set(hashes.values())) == 3
    jobs = example_week.parent / "jobs.csv"  # one of diakonie's jobs changes: only diakonie's content changes
    jobs.write_text(jobs.read_text(encoding="utf-8-sig").replace("Du berätst junge", "Du berätst ältere"),
                    encoding="utf-8-sig")
    again, _ = _board(example_week)
    changed = {p for p in PARTNERS if partner_content_hash(again, p, channel) != hashes[p]}
    assert changed == {"diakonie-musterstadt"}


def test_status_shows_each_partners_sign_off(example_week: Path) -> None:
    episodes, channel_yaml = _board(example_week)
    assert [s.state for s in board_signoffs(episodes, channel_yaml)] == ["no partner access"] * 3
    assert not db_path(channel_yaml).exists()  # reading never creates the database
    _invite(example_week, "caritas-musterstadt", "diakonie-musterstadt", "paritaetischer-musterstadt")
    assert [s.state for s in board_signoffs(episodes, channel_yaml)] == ["not signed off"] * 3
    _sign(example_week, "caritas-musterstadt")
    _sign(example_week, "diakonie-musterstadt", content="0" * 64)  # signed what an earlier render showed
    _sign(example_week, "paritaetischer-musterstadt", approved=False)
    result = CliRunner().invoke(cli, ["status", str(example_week), "--json"])
    assert result.exit_code == 0, result.output
    states = {s["partner"]: (s["state"], s["current"]) for s in json.loads(result.output)["partner_signoffs"]}
    assert states == {"caritas-musterstadt": ("approved", True),
                      "diakonie-musterstadt": ("changed since sign-off", False),
                      "paritaetischer-musterstadt": ("changes requested", False)}
    table = CliRunner().invoke(cli, ["status", str(example_week)])
    assert "  caritas-musterstadt  approved by Petra, " in table.output
    assert "  paritaetischer-musterstadt  changes requested by Petra, " in table.output
    assert table.output.rstrip().count("Nummer falsch") == 1


def test_batch_approved_only_needs_every_partners_sign_off(example_week: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BATCH_FAKES))
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "batch_fakes:fake_render")
    _approve(example_week, EPISODE)
    _approve(example_week, BOARD)
    _invite(example_week, "caritas-musterstadt", "diakonie-musterstadt", "paritaetischer-musterstadt")
    _sign(example_week, "caritas-musterstadt")
    _sign(example_week, "diakonie-musterstadt", content="0" * 64)
    options = BatchOptions(scheduler="inline", final=True, partner_signoffs=True)
    report = run_batch(example_week, options)
    board = next(e for e in report.episodes if e.name == BOARD)
    assert board.status == "awaiting review" and report.ok
    assert board.error == "waiting for the partners' sign-off: diakonie-musterstadt, paritaetischer-musterstadt"
    assert next(e for e in report.episodes if e.name == EPISODE).status == "rendered"
    _sign(example_week, "diakonie-musterstadt")
    # a partner whose access was revoked cannot answer, so the board no longer waits for it
    PartnerStore.open(_board(example_week)[1]).revoke("paritaetischer-musterstadt", by="Anna")
    cli_run = CliRunner().invoke(cli, ["batch", str(example_week), "--approved-only", "--quiet", "--scheduler",
                                       "inline"])
    assert cli_run.exit_code == 0, cli_run.output
    report_json = json.loads((example_week.parent / "out" / "kw48" / "batch-report.json").read_text())
    assert {e["episode"]: e["status"] for e in report_json["episodes"]}[BOARD] == "rendered"


def test_the_board_gets_an_accepted_listing_a_crash_left_out(example_week: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed between the database and the jobs file: the next reader of the week (batch, status) writes it first."""
    from vidcoop.errors import OutputError
    from vidcoop.partners import jobsfile

    episodes, channel_yaml = _board(example_week)
    before = sum(len(v) for v in board_cards(episodes).values())
    store = PartnerStore.open(channel_yaml)
    fields = {"Titel": "Hauswirtschaftskraft (m/w/d)", "Ort": "Musterstadt", "Arbeitszeit": "Minijob",
              "Bewerbung": "https://caritas.example/jobs/9", "Gültig bis": "31.12.2099"}
    listing = store.save_listing("caritas-musterstadt", "2099-W01", fields)
    store.submit("caritas-musterstadt", listing.id)

    def crash(*args: object, **kwargs: object) -> bytes:
        raise OutputError("killed")

    monkeypatch.setattr(jobsfile, "rebuild", crash)
    with pytest.raises(OutputError):
        store.accept(listing.id, editor="Anna", jobs_csv=example_week.parent / "jobs.csv")
    monkeypatch.undo()
    after, _ = _board(example_week)
    cards = board_cards(after)
    assert sum(len(v) for v in cards.values()) == before + 1
    assert "Hauswirtschaftskraft (m/w/d)" in [c.job.title for c in cards["caritas-musterstadt"]]
    again, _ = _board(example_week)
    assert sum(len(v) for v in board_cards(again).values()) == before + 1


def test_final_alone_does_not_ask_partners(example_week: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BATCH_FAKES))
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "batch_fakes:fake_render")
    _approve(example_week, BOARD)
    report = run_batch(example_week, BatchOptions(scheduler="inline", final=True))
    assert next(e for e in report.episodes if e.name == BOARD).status == "rendered"
