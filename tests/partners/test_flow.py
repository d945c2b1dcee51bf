"""The issue's flow without a browser: invite, the partner adds a job and submits, the editor accepts,
batch renders the board, the partner signs off its cards, status shows it, the audit log verifies."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.partners.conftest import Clock
from vidcoop.cli.main import cli
from vidcoop.partners import PartnerStore
from vidcoop.partners.signoff import board_cards, partner_content_hash
from vidcoop.studio.week import WeekView

CARITAS = "caritas-musterstadt"
BATCH_FAKES = Path(__file__).resolve().parents[1] / "batch"


def test_partner_flow_end_to_end(example_week: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BATCH_FAKES))
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "batch_fakes:fake_render")
    channel_yaml = example_week.parent / "channel" / "channel.yaml"
    jobs_csv = example_week.parent / "jobs.csv"
    runner = CliRunner()

    invited = runner.invoke(cli, ["partners", "invite", CARITAS, "--channel", str(channel_yaml), "--by", "Anna"])
    assert invited.exit_code == 0, invited.output
    token = invited.stdout.strip().rsplit("/p/", 1)[1]

    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc))  # the week before the example's board
    store = PartnerStore.open(channel_yaml, clock=clock)
    partner = store.redeem(token)
    assert partner == CARITAS
    session = store.start_session(partner)
    assert store.session_partner(session) == CARITAS
    fields = {"Titel": "Alltagsbegleiter*in (m/w/d)", "Ort": "Musterstadt-West", "Arbeitszeit": "Minijob",
              "Beginn": "ab sofort", "Bewerbung": "https://www.caritas-musterstadt.de/karriere/alltag",
              "Gültig bis": "31.12.2026"}
    listing = store.save_listing(CARITAS, "2026-W48", fields)
    store.submit(CARITAS, listing.id)
    assert [q.id for q in store.queue()] == [listing.id]
    store.accept(listing.id, editor="Anna", jobs_csv=jobs_csv)

    rendered = runner.invoke(cli, ["batch", str(example_week), "--quiet", "--scheduler", "inline"])
    assert rendered.exit_code == 0, rendered.output
    board = [i.episode for i in WeekView.open(example_week).items if i.kind == "jobboard"]
    titles = [card.job.title for card in board_cards(board)[CARITAS]]
    assert "Alltagsbegleiter*in (m/w/d)" in titles

    seen = partner_content_hash(board, CARITAS, store.channel)
    store.sign_off(CARITAS, "2026-W48", approved=True, comment="", by="Petra Beispiel", content_hash=seen)
    status = runner.invoke(cli, ["status", str(example_week), "--json"])
    states = {s["partner"]: s["state"] for s in json.loads(status.output)["partner_signoffs"]}
    # the others were never invited: they cannot sign off, so nothing waits for them
    assert states == {CARITAS: "approved", "diakonie-musterstadt": "no partner access",
                      "paritaetischer-musterstadt": "no partner access"}

    verified = runner.invoke(cli, ["audit", "verify", "--channel", str(channel_yaml)])
    assert verified.exit_code == 0 and verified.output.startswith("ok, 7 rows")
    actions = [r.action for r in store.audit().rows()]
    assert actions == ["invite", "redeem", "save", "submit", "accept", "csv-write", "sign-off"]
