"""The partner pages' plumbing without a server: paths, CSRF tokens, the origin check, the failure limit,
the access-log filter."""

from __future__ import annotations

import logging

from starlette.requests import Request

from vidcoop.studio.partner_access import (
    FailureLimit,
    RedactTokens,
    csrf_of,
    csrf_ok,
    is_partner_path,
    redact,
    same_origin,
)


def _request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "POST", "path": "/api/partner/listings", "headers": raw,
                    "query_string": b""})


def test_partner_paths_are_only_the_partners() -> None:
    for path in ("/p/abc", "/partner", "/partner/board/0.png", "/partner/static/partner.js", "/api/partner",
                 "/api/partner/listings"):
        assert is_partner_path(path), path
    for path in ("/", "/queue", "/api/queue/1/accept", "/partners", "/api/partners", "/episodes/x", "/static/api.js",
                 "/pp/abc", "/api/week"):
        assert not is_partner_path(path), path


def test_csrf_token_belongs_to_one_session_and_key() -> None:
    key = b"k" * 32
    token = csrf_of(key, "session-a")
    assert csrf_ok(key, "session-a", token)
    assert not csrf_ok(key, "session-b", token)
    assert not csrf_ok(b"x" * 32, "session-a", token)
    assert not csrf_ok(key, None, token)
    assert not csrf_ok(key, "session-a", None)
    assert not csrf_ok(key, "session-a", "")


def test_same_origin_refuses_other_sites() -> None:
    assert same_origin(_request({"host": "127.0.0.1:8765", "origin": "http://127.0.0.1:8765",
                                 "sec-fetch-site": "same-origin"}))
    assert same_origin(_request({"host": "partner.example.org", "origin": "https://partner.example.org"}))
    assert same_origin(_request({"host": "127.0.0.1:8765"}))  # no Origin: not a browser's cross-site POST
    assert not same_origin(_request({"host": "127.0.0.1:8765", "origin": "http://evil.example"}))
    assert not same_origin(_request({"host": "127.0.0.1:8765", "origin": "null"}))
    assert not same_origin(_request({"host": "127.0.0.1:8765", "sec-fetch-site": "cross-site"}))
    assert not same_origin(_request({"host": "127.0.0.1:8765", "sec-fetch-site": "same-site",
                                     "origin": "http://127.0.0.1:8765"}))


def test_failure_limit_blocks_after_five_in_a_minute_per_address() -> None:
    now = [1000.0]
    limit = FailureLimit(limit=5, window=60, clock=lambda: now[0])
    for _ in range(5):
        assert not limit.blocked("10.0.0.1")
        limit.fail("10.0.0.1")
    assert limit.blocked("10.0.0.1")
    assert not limit.blocked("10.0.0.2")  # per address
    now[0] += 59
    assert limit.blocked("10.0.0.1")
    now[0] += 1.5
    assert not limit.blocked("10.0.0.1")  # the window slid past the failures


def test_redact_replaces_the_token_in_an_access_log_record() -> None:
    assert redact("GET /p/Abc-_123 HTTP/1.1") == "GET /p/[token] HTTP/1.1"
    assert redact("/p/Abc?x=1") == "/p/[token]?x=1"
    assert redact("/partner") == "/partner"
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/p/SECRETTOKEN", "1.1", 303), None)
    assert RedactTokens().filter(record)
    assert "SECRETTOKEN" not in record.getMessage()
    assert "/p/[token]" in record.getMessage()
