"""``vidcoop partners`` and ``vidcoop audit`` through the CLI's own entry point (one-line errors, exit codes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.partners.conftest import CARITAS, WEEK, Clock, job
from vidcoop.cli.main import main
from vidcoop.partners import PartnerStore
from vidcoop.partners.audit import read_export


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_invite_prints_the_link_once_and_list_never_shows_it(channel_yaml: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "partners", "invite", CARITAS, "--channel", str(channel_yaml), "--days", "7",
                         "--by", "Anna")
    assert code == 0
    link = out.strip()
    assert link.startswith("http://127.0.0.1:8765/p/") and len(out.splitlines()) == 1
    token = link.rsplit("/", 1)[1]
    assert "valid until" in err
    store = PartnerStore.open(channel_yaml)
    assert store.redeem(token) == CARITAS
    assert store.audit().rows()[0].actor == "editor:Anna"
    code, out, err = run(capsys, "partners", "list", "--channel", str(channel_yaml))
    assert code == 0 and token not in out
    assert out.splitlines()[0].split() == ["partner", "invited", "expires", "revoked", "last", "used", "state"]
    assert CARITAS in out and "active" in out and "not invited: diakonie-musterstadt" in out
    code, out, err = run(capsys, "partners", "revoke", CARITAS, "--channel", str(channel_yaml), "--by", "Anna")
    assert code == 0 and "revoked" in out
    assert store.redeem(token) is None
    assert "revoked" in run(capsys, "partners", "list", "--channel", str(channel_yaml))[1]


def test_link_uses_the_channels_studio_url(channel_yaml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = channel_yaml.read_text(encoding="utf-8")
    channel_yaml.write_text(text + "\nstudio_url: https://partner.wegezumjob.example/studio/\n", encoding="utf-8")
    code, out, _ = run(capsys, "partners", "invite", CARITAS, "--channel", str(channel_yaml))
    assert code == 0 and out.startswith("https://partner.wegezumjob.example/studio/p/")


def test_bad_studio_url_names_the_field(channel_yaml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = channel_yaml.read_text(encoding="utf-8")
    channel_yaml.write_text(text + "\nstudio_url: ftp://x\n", encoding="utf-8")
    code, out, err = run(capsys, "partners", "invite", CARITAS, "--channel", str(channel_yaml))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "studio_url" in err and "channel.yaml" in err


@pytest.mark.parametrize(("args", "words"), [
    (["partners", "invite", "nobody"], ["channel.yaml", "partners", "unknown partner 'nobody'"]),
    (["partners", "invite", CARITAS, "--days", "0"], ["--days", "0 is not in the range"]),
    (["partners", "invite", CARITAS, "--days", "viele"], ["--days", "not a valid integer"]),
    (["partners", "revoke", CARITAS], ["has no invitation"]),
    (["audit", "export", "--month", "2026-13", "-o", "x.jsonl"], ["--month", "not a month"]),
    (["audit", "show", "--partner", "nobody"], ["unknown partner 'nobody'"]),
])
def test_bad_input_is_one_line(channel_yaml: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                               words: list[str]) -> None:
    code, _, err = run(capsys, *args, "--channel", str(channel_yaml))
    assert code != 0 and "Traceback" not in err
    assert all(w in err for w in words), err
    assert len([line for line in err.splitlines() if line.startswith(("vidcoop: error", "Error"))]) == 1


def test_missing_channel_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "partners", "list", "--channel", str(tmp_path / "nope.yaml"))
    assert code == 1 and err.strip() == f"vidcoop: error: {tmp_path / 'nope.yaml'}: channel config not found"
    assert not (tmp_path / ".vidcoop-partners.sqlite").exists()


def test_audit_verify_show_export(channel_yaml: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  clock: Clock) -> None:
    store = PartnerStore.open(channel_yaml, clock=clock)  # the week of WEEK, whatever the day: it is never over
    store.invite(CARITAS, by="Anna")
    listing = store.save_listing(CARITAS, WEEK, job())
    store.submit(CARITAS, listing.id)
    store.invite("diakonie-musterstadt", by="Anna")
    code, out, _ = run(capsys, "audit", "verify", "--channel", str(channel_yaml))
    assert (code, out.strip()) == (0, "ok, 4 rows (.vidcoop-partners.sqlite)")
    code, out, _ = run(capsys, "audit", "show", "--channel", str(channel_yaml), "--partner", CARITAS)
    assert code == 0 and [line.split()[4] for line in out.splitlines()] == ["invite", "save", "submit"]
    month = store.audit().rows()[0].when[:7]
    target = tmp_path / "records" / f"audit-{month}.jsonl"
    code, out, _ = run(capsys, "audit", "export", "--channel", str(channel_yaml), "--month", month, "-o", str(target))
    assert code == 0 and "4 rows" in out and len(read_export(target)) == 4
    code, out, _ = run(capsys, "audit", "verify", "--channel", str(channel_yaml), "--export", str(target))
    assert code == 0 and "its 4 rows match the log" in out


def test_audit_verify_names_the_edited_row(channel_yaml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = PartnerStore.open(channel_yaml)
    store.invite(CARITAS, by="Anna")
    store.revoke(CARITAS, by="Anna")
    store.invite(CARITAS, by="Anna")
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'editor:Bob' WHERE seq = 2")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "audit", "verify", "--channel", str(channel_yaml))
    assert code == 1 and out == ""
    assert err.startswith(f"vidcoop: error: {store.path} [audit row 2]: the audit log was changed")
    assert err.count("\n") == 1
