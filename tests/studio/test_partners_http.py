"""The partner pages over HTTP (Starlette's TestClient; real uvicorn for the access log and TLS).

Two partners of the example channel, A (Caritas) and B (Diakonie), each with a personal link.
Every partner route is tried with the other partner's ids, without a session, without or with
a wrong CSRF token; links expire and are revoked; a cookie planted before login is never
adopted; what a partner types reaches the editor literally.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from vidcoop.jobboard.week import parse_week
from vidcoop.partners import ListingState, PartnerStore
from vidcoop.studio.app import create_app
from vidcoop.studio.partner_access import SESSION_COOKIE, is_partner_path
from vidcoop.studio.views import routes

A, B = "caritas-musterstadt", "diakonie-musterstadt"
BASE = "http://127.0.0.1:8765"


def job(**changes: str) -> dict[str, str]:
    fields = {"Titel": "Heilerziehungspfleger*in (m/w/d)", "Ort": "Musterstadt-Süd",
              "Arbeitszeit": "Teilzeit, 30 Std.", "Beginn": "ab sofort", "Beschreibung": "Ein herzliches Team.",
              "Bewerbung": "https://caritas.example/jobs/1", "Gültig bis": "31.12.2099"}
    fields.update(changes)
    return fields


def channel_of(week: Path) -> Path:
    return week.parent / "channel" / "channel.yaml"


def csrf_in(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]*)">', html)
    assert match is not None
    return match.group(1)


class Partner:
    """A browser of one partner: its client, its CSRF token."""

    def __init__(self, app: Any, token: str) -> None:
        self.client = TestClient(app, base_url=BASE)
        opened = self.client.get(f"/p/{token}", follow_redirects=False)
        assert opened.status_code == 303, opened.text
        home = self.client.get("/partner")
        assert home.status_code == 200
        self.csrf = csrf_in(home.text)

    def post(self, url: str, body: dict[str, Any], **headers: str) -> Any:
        return self.client.post(url, json=body, headers={"X-CSRF-Token": self.csrf, **headers})

    def save(self, **body: Any) -> Any:
        return self.post("/api/partner/listings", {"week": parse_week(None).label, **body})


@pytest.fixture
def setup(partner_week: Path) -> tuple[Any, PartnerStore, dict[str, str]]:
    store = PartnerStore.open(channel_of(partner_week))
    tokens = {A: store.invite(A, by="Redaktion"), B: store.invite(B, by="Redaktion")}
    return create_app(partner_week), store, tokens


def test_the_link_becomes_a_strict_cookie_and_leaves_the_address(setup: Any) -> None:
    app, _store, tokens = setup
    client = TestClient(app, base_url=BASE)
    opened = client.get(f"/p/{tokens[A]}", follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers["location"] == "/partner"
    assert opened.headers["referrer-policy"] == "no-referrer"
    cookie = opened.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert tokens[A] not in cookie
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=strict"} <= flags
    assert "secure" not in flags  # plain HTTP on the loopback: a Secure cookie would never come back
    home = client.get("/partner")
    assert home.status_code == 200
    assert home.headers["referrer-policy"] == "no-referrer"
    assert "Caritas Musterstadt" in home.text and tokens[A] not in home.text
    assert '<meta name="referrer" content="no-referrer">' in home.text
    assert 'href="/partner/static/studio.css"' in home.text and 'href="/"' not in home.text  # no way to the editor's
    assert 'id="logout"' in home.text


def test_expired_and_revoked_links_fail_with_a_german_page(partner_week: Path) -> None:
    channel = channel_of(partner_week)
    past = datetime.now(timezone.utc) - timedelta(days=40)
    expired = PartnerStore.open(channel, clock=lambda: past).invite(A, days=30, by="Redaktion")
    store = PartnerStore.open(channel)
    revoked = store.invite(B, by="Redaktion")
    client = TestClient(create_app(partner_week), base_url=BASE)
    session = Partner(client.app, revoked)  # a session opened before the revocation ...
    store.revoke(B, by="Redaktion")
    for token in (expired, revoked, "not-a-token"):
        answer = client.get(f"/p/{token}", follow_redirects=False)
        assert answer.status_code == 403
        assert "ungültig, abgelaufen oder wurde zurückgezogen" in answer.text
        assert "set-cookie" not in answer.headers
        assert A not in answer.text and B not in answer.text  # no detail: whose link, or why
    assert session.client.get("/partner").status_code == 401  # ... ends with it
    assert session.save(fields=job()).status_code == 401


def test_failed_links_are_limited_per_address(setup: Any) -> None:
    app, _store, tokens = setup
    client = TestClient(app, base_url=BASE)
    for n in range(5):
        assert client.get(f"/p/wrong-{n}", follow_redirects=False).status_code == 403
    blocked = client.get(f"/p/{tokens[A]}", follow_redirects=False)  # even a right one, for a minute
    assert blocked.status_code == 429
    assert "Zu viele ungültige Versuche" in blocked.text
    assert "set-cookie" not in blocked.headers
    app.state.studio.token_failures.clock = lambda: 10**9  # a minute (and more) later
    assert client.get(f"/p/{tokens[A]}", follow_redirects=False).status_code == 303


def test_a_cookie_from_before_the_login_is_never_adopted(setup: Any) -> None:
    app, store, tokens = setup
    # an attacker's own valid session (B), planted in A's browser before A logs in
    planted = store.start_session(B)
    victim = TestClient(app, base_url=BASE)
    victim.cookies.set(SESSION_COOKIE, planted)
    opened = victim.get(f"/p/{tokens[A]}", follow_redirects=False)
    new = opened.cookies[SESSION_COOKIE]
    assert new != planted
    assert store.session_partner(new) == A
    assert store.session_partner(planted) is None  # the planted session is ended, not carried over
    # a made-up id opens nothing
    stranger = TestClient(app, base_url=BASE)
    stranger.cookies.set(SESSION_COOKIE, "chosen-by-the-attacker")
    assert stranger.get("/partner").status_code == 401
    # every login is a new session id
    again = TestClient(app, base_url=BASE).get(f"/p/{tokens[A]}", follow_redirects=False)
    assert again.cookies[SESSION_COOKIE] not in (new, planted)


def test_csrf_and_origin_are_checked_on_every_partner_post(setup: Any) -> None:
    app, _store, tokens = setup
    a, b = Partner(app, tokens[A]), Partner(app, tokens[B])
    editor_csrf = app.state.studio.csrf
    url, body = "/api/partner/listings", {"week": parse_week(None).label, "fields": job()}
    cases = {
        "missing": {},
        "wrong": {"X-CSRF-Token": "wrong"},
        "another session's": {"X-CSRF-Token": b.csrf},
        "the editor's": {"X-CSRF-Token": editor_csrf},
        "other origin": {"X-CSRF-Token": a.csrf, "Origin": "http://evil.example"},
        "cross-site fetch": {"X-CSRF-Token": a.csrf, "Sec-Fetch-Site": "cross-site"},
    }
    for name, headers in cases.items():
        answer = a.client.post(url, json=body, headers=headers)
        assert answer.status_code == 403, name
    assert a.client.get("/api/partner").json()["listings"] == []  # nothing was saved
    ok = a.client.post(url, json=body, headers={"X-CSRF-Token": a.csrf, "Origin": BASE,
                                                 "Sec-Fetch-Site": "same-origin"})
    assert ok.status_code == 200


def _partner_post_routes() -> list[str]:
    return [r.path for r in routes() if isinstance(r, Route) and is_partner_path(r.path)
            and "POST" in (r.methods or ())]


def test_isolation_every_partner_route_with_the_other_partners_ids(setup: Any) -> None:
    app, store, tokens = setup
    a, b = Partner(app, tokens[A]), Partner(app, tokens[B])
    mine = a.save(fields=job(Titel="Stelle von A")).json()
    theirs = b.save(fields=job(Titel="Geheime Stelle von B", Bewerbung="https://diakonie.example/1")).json()
    assert b.post(f"/api/partner/listings/{theirs['id']}/submit", {}).status_code == 200
    every = set(_partner_post_routes())
    tried: set[str] = set()

    def attempt(route: str, url: str, body: dict[str, Any]) -> Any:
        tried.add(route)
        return a.post(url, body)

    # B's listing by id: change, submit, withdraw
    changed = attempt("/api/partner/listings", "/api/partner/listings",
                      {"week": parse_week(None).label, "fields": job(Titel="gekapert"), "id": theirs["id"],
                       "version": theirs["version"]})
    assert changed.status_code == 404
    for action in ("submit", "withdraw"):
        route = "/api/partner/listings/{id:int}/{action:str}"
        answer = attempt(route, f"/api/partner/listings/{theirs['id']}/{action}", {})
        assert answer.status_code == 404
        assert "Geheime" not in answer.text
    # the partner column in a body is ignored: A's listing stays A's, and B's name is not A's to use
    forged = a.save(fields={**job(Titel="Als B getarnt"), "Partner": B}).json()
    assert forged["fields"]["Partner"] == A
    drawn = attempt("/api/partner/preview", "/api/partner/preview",
                    {"week": parse_week(None).label, "fields": {**job(), "Partner": B}})
    assert drawn.status_code == 200  # drawn as A's card (A's logo), never B's
    # a sign-off names no partner: a body that tries is refused; without a rendered board there is nothing to sign
    signed = attempt("/api/partner/signoff", "/api/partner/signoff",
                     {"approved": True, "by": "A", "comment": "", "hash": "x", "partner": B})
    assert signed.status_code == 422
    assert attempt("/api/partner/signoff", "/api/partner/signoff",
                   {"approved": True, "by": "A", "comment": "", "hash": "x"}).status_code == 404
    assert not store.sign_offs(parse_week(None).label)
    attempt("/api/partner/logout", "/api/partner/logout", {})  # ends A's own session only
    assert b.client.get("/api/partner").status_code == 200
    assert every <= tried, every - tried  # a new partner route must be added here
    # reads: only the partner's own data
    a = Partner(app, tokens[A])
    seen = a.client.get("/api/partner").json()
    assert {x["id"] for x in seen["listings"]} == {mine["id"], forged["id"]}
    assert "Geheime" not in a.client.get("/partner").text
    assert a.client.get("/partner/board/0.png").status_code == 404
    assert store.listing(B, theirs["id"]).status == "submitted"
    assert store.listing(B, theirs["id"]).fields["Titel"] == "Geheime Stelle von B"


def test_no_session_opens_nothing(setup: Any) -> None:
    app, _store, _tokens = setup
    client = TestClient(app, base_url=BASE)
    assert client.get("/partner").status_code == 401
    assert client.get("/api/partner").status_code == 401
    assert client.get("/partner/board/0.png").status_code == 401
    for path in _partner_post_routes():
        url = path.replace("{id:int}", "1").replace("{action:str}", "submit")
        assert client.post(url, json={}).status_code == 403, path  # no session: no CSRF token either


def test_partner_sessions_do_not_reach_editor_routes(partner_week: Path) -> None:
    store = PartnerStore.open(channel_of(partner_week))
    token = store.invite(A, by="Redaktion")
    served = create_app(partner_week, token="editor-secret")  # the studio served beyond this machine
    a = Partner(served, token)
    for path in ("/", "/queue", "/api/week", "/api/queue", "/episodes/was-ist-buergergeld"):
        assert a.client.get(path).status_code == 401, path
    assert a.client.post("/api/queue/1/accept", json={"editor": "x"},
                         headers={"X-CSRF-Token": a.csrf}).status_code == 401
    # on the loopback studio behind a TLS proxy (another host name): the editor's pages answer 421, the partner's work
    local = create_app(partner_week)
    proxied = TestClient(local, base_url="https://partner.example.org")
    assert proxied.get(f"/p/{store.invite(B, by='Redaktion')}", follow_redirects=False).status_code == 303
    assert proxied.get("/partner").status_code == 200
    assert proxied.get("/partner/static/partner.js").headers["content-type"].startswith("text/javascript")
    assert proxied.get("/partner/static/episode.js").status_code == 404  # the editor's scripts stay the editor's
    assert proxied.get("/partner/static/../security.py").status_code == 404
    for path in ("/", "/queue", "/api/queue", "/static/api.js"):
        assert proxied.get(path).status_code == 421, path


def test_a_stale_save_is_409_and_keeps_the_newer_text(setup: Any) -> None:
    app, store, tokens = setup
    a = Partner(app, tokens[A])
    first = a.save(fields=job()).json()
    newer = a.save(fields=job(Titel="Neuer Titel"), id=first["id"], version=first["version"])
    assert newer.status_code == 200
    stale = a.save(fields=job(Titel="Alter Tab"), id=first["id"], version=first["version"])
    assert stale.status_code == 409
    assert "anderswo geändert" in stale.json()["error"]
    assert store.listing(A, first["id"]).fields["Titel"] == "Neuer Titel"


def test_invalid_fields_get_german_messages_at_the_field(setup: Any) -> None:
    app, store, tokens = setup
    a = Partner(app, tokens[A])
    answer = a.save(fields=job(Titel="", Bewerbung="irgendwo", **{"Gültig bis": "31.02.2027"}))
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert problems["Titel"] == "Pflichtfeld: bitte ausfüllen"
    assert "Webadresse" in problems["Bewerbung"]
    assert "Gültig bis" in problems
    preview = a.post("/api/partner/preview", {"week": parse_week(None).label, "fields": job(Titel="")})
    assert preview.status_code == 422 and preview.json()["problems"]["Titel"] == "Pflichtfeld: bitte ausfüllen"
    assert store.listings(A) == []


INJECTIONS = {
    "Titel": "<script>alert('t')</script> Koch",
    "Ort": "'; DROP TABLE listings; --",
    "Arbeitszeit": '"><img src=x onerror=alert(1)>',
    "Beschreibung": "{{ 7*7 }} {% raw %} Robert'); DELETE FROM audit;-- <b>fett</b> &amp;",
    "Bewerbung": "https://caritas.example/j?q=';--",
}


def test_sql_and_html_in_every_field_reach_the_editor_literally(setup: Any) -> None:
    app, store, tokens = setup
    a = Partner(app, tokens[A])
    saved = a.save(fields=job(**INJECTIONS))
    assert saved.status_code == 200, saved.text
    assert a.post(f"/api/partner/listings/{saved.json()['id']}/submit", {}).status_code == 200
    editor = TestClient(app, base_url=BASE)
    queue = editor.get("/queue")
    assert queue.status_code == 200
    html = queue.text
    for value in INJECTIONS.values():
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") \
            .replace("'", "&#39;")
        assert escaped in html, value
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>fett</b>" not in html
    assert "{{ 7*7 }}" in html
    listed = editor.get("/api/queue").json()["partners"][0]["listings"][0]["fields"]
    assert {k: listed[k] for k in INJECTIONS} == INJECTIONS  # byte for byte
    assert store.audit().verify().ok  # the tables are all still there
    assert len(store.listings(A)) == 1
    # and the partner's own page shows it literally too
    own = a.client.get("/partner").text
    assert "<script>alert('t')" not in own and "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in own


def test_two_partners_saving_at_once_lose_nothing(setup: Any) -> None:
    app, store, tokens = setup
    partners = {A: Partner(app, tokens[A]), B: Partner(app, tokens[B])}
    errors: list[str] = []

    def work(pid: str) -> None:
        for n in range(15):
            answer = partners[pid].save(fields=job(Titel=f"{pid} Stelle {n}", Bewerbung=f"https://x.example/{n}"))
            if answer.status_code != 200:
                errors.append(f"{pid} {n}: {answer.status_code} {answer.text[:100]}")

    threads = [threading.Thread(target=work, args=(pid,)) for pid in partners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for pid in partners:
        titles = sorted(x.fields["Titel"] for x in store.listings(pid))
        assert titles == sorted(f"{pid} Stelle {n}" for n in range(15))
        assert {x.fields["Partner"] for x in store.listings(pid)} == {pid}
    assert store.audit().verify().ok


def test_the_token_never_reaches_uvicorns_access_log(setup: Any) -> None:
    import time

    import httpx
    from uvicorn.logging import AccessFormatter

    from .serving import serve

    app, _store, tokens = setup
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    keep = Keep()
    keep.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False))
    access = logging.getLogger("uvicorn.access")
    try:
        with serve(app, log_level="info", access_log=True) as url:
            access.addHandler(keep)  # after uvicorn configured its logging
            with httpx.Client(base_url=url) as http:
                assert http.get(f"/p/{tokens[A]}").status_code == 303
                assert http.get("/p/a-wrong-token-123").status_code == 403
            deadline = time.monotonic() + 5
            while len(lines) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        access.removeHandler(keep)
    text = "\n".join(lines)
    assert "GET /p/[token] HTTP/1.1\" 303" in text, text
    assert "GET /p/[token] HTTP/1.1\" 403" in text, text
    assert tokens[A] not in text and "a-wrong-token-123" not in text


def test_the_partner_page_in_english(partner_week: Path) -> None:
    store = PartnerStore.open(channel_of(partner_week))
    token = store.invite(A, by="Redaktion")
    a = Partner(create_app(partner_week, lang="en"), token)
    page = a.client.get("/partner").text
    assert "Job listings of Caritas Musterstadt" in page and "Valid until" in page
    answer = a.save(fields=job(Titel=""))
    assert answer.json()["problems"]["Titel"] == "required field is empty"
    assert TestClient(a.client.app, base_url=BASE).get("/p/nope").text.count("invalid, expired or revoked") == 1


def test_the_week_page_links_the_queue_and_makes_no_partner_database(partner_week: Path) -> None:
    from vidcoop.partners import db_path

    week = TestClient(create_app(partner_week), base_url=BASE).get("/")
    assert week.status_code == 200
    assert 'href="/queue"' in week.text
    assert not db_path(channel_of(partner_week)).exists()  # looking is not a partner action


def test_the_editor_rejects_with_a_reason_the_partner_reads_and_withdraws(setup: Any) -> None:
    app, store, tokens = setup
    a = Partner(app, tokens[A])
    listing = a.save(fields=job(Titel="Zu prüfende Stelle")).json()
    assert a.post(f"/api/partner/listings/{listing['id']}/submit", {}).status_code == 200
    editor = TestClient(app, base_url=BASE)
    csrf = csrf_in(editor.get("/queue").text)
    no_reason = editor.post(f"/api/queue/{listing['id']}/reject", json={"editor": "Anna"},
                            headers={"X-CSRF-Token": csrf})
    assert no_reason.status_code == 422
    assert editor.post(f"/api/queue/{listing['id']}/reject", json={"editor": "Anna"}).status_code == 403  # no CSRF
    rejected = editor.post(f"/api/queue/{listing['id']}/reject",
                           json={"editor": "Anna", "comment": "Bitte <Arbeitszeit> genauer angeben"},
                           headers={"X-CSRF-Token": csrf})
    assert rejected.status_code == 200
    assert editor.get("/api/queue").json()["partners"] == []
    page = a.client.get("/partner").text
    assert "abgelehnt" in page and "Bitte &lt;Arbeitszeit&gt; genauer angeben" in page
    assert a.post(f"/api/partner/listings/{listing['id']}/withdraw", {}).status_code == 200
    assert store.listing(A, listing["id"]).status == "withdrawn"
    assert "zurückgezogen" in a.client.get("/partner").text
    jobs = (app.state.studio.week_path.parent / "jobs.csv").read_text(encoding="utf-8-sig")
    assert "Zu prüfende Stelle" not in jobs  # never accepted: never in the job list


def test_a_listing_for_a_later_week_waits_for_that_weeks_board(setup: Any) -> None:
    """Accepting it here would show it on this week's board, weeks early: the page says so and the server refuses."""
    app, store, tokens = setup
    a = Partner(app, tokens[A])
    later = parse_week(parse_week(None).monday + timedelta(weeks=2)).label
    early = a.save(week=later, fields=job(Titel="Stelle ab Januar")).json()
    now = a.save(fields=job(Titel="Stelle sofort")).json()
    for listing in (early, now):
        assert a.post(f"/api/partner/listings/{listing['id']}/submit", {}).status_code == 200
    editor = TestClient(app, base_url=BASE)
    page = editor.get("/queue").text
    csrf = csrf_in(page)
    assert f'data-accept="{early["id"]}" disabled' in page and f'data-accept="{now["id"]}">' in page
    assert "anzunehmen mit der Stellenbörse dieser Woche" in page
    jobs_file = app.state.studio.week_path.parent / "jobs.csv"
    before = jobs_file.read_bytes()
    refused = editor.post(f"/api/queue/{early['id']}/accept", json={"editor": "Anna"}, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 409 and "Bitte im Studio der Woche" in refused.json()["error"]
    assert jobs_file.read_bytes() == before and store.editor_listing(early["id"]).status == "submitted"
    assert editor.post(f"/api/queue/{now['id']}/accept", json={"editor": "Anna"},
                       headers={"X-CSRF-Token": csrf}).status_code == 200
    assert "Stelle sofort" in jobs_file.read_text(encoding="utf-8-sig")
    with pytest.raises(ListingState, match="accept it with that week's job board"):  # the store refuses too
        store.accept(early["id"], editor="Anna", jobs_csv=jobs_file, week=parse_week(None).label)


def test_a_forged_partner_in_the_preview_is_drawn_with_the_sessions_own_logo(setup: Any) -> None:
    """The card preview a partner sees is its own card: a body naming another partner changes nothing."""
    app, _store, tokens = setup
    a, b = Partner(app, tokens[A]), Partner(app, tokens[B])
    week = parse_week(None).label
    own = a.post("/api/partner/preview", {"week": week, "fields": job()})
    forged = a.post("/api/partner/preview", {"week": week, "fields": {**job(), "Partner": B}})
    theirs = b.post("/api/partner/preview", {"week": week, "fields": job()})
    assert own.status_code == forged.status_code == theirs.status_code == 200
    assert own.headers["content-type"] == "image/png"
    assert forged.content == own.content  # A's logo and name, byte for byte
    assert theirs.content != own.content  # B's own card differs: the check above can fail


def test_date_fields_with_markup_are_refused_at_the_field(setup: Any) -> None:
    app, store, tokens = setup
    a = Partner(app, tokens[A])
    answer = a.save(fields=job(**{"Gültig bis": "<script>x</script>'; DROP TABLE listings;--",
                                   "Beginn": "<i>ab</i> 1.1.; SELECT 1"}))
    assert answer.status_code == 422
    assert {"Gültig bis", "Beginn"} <= set(answer.json()["problems"])
    assert store.listings(A) == [] and store.audit().verify().ok
    assert "<script>x" not in a.client.get("/partner").text
