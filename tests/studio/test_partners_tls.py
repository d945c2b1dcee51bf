"""uvicorn's own TLS, as ``vidcoop studio --ssl-certfile/--ssl-keyfile`` runs it: the partner's session
cookie is ``Secure`` over HTTPS. The self-signed certificate is made here (``cryptography``), trusted as
the only CA of the client."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest

from vidcoop.partners import PartnerStore
from vidcoop.studio.app import create_app
from vidcoop.studio.partner_access import SESSION_COOKIE

from .serving import serve


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key (PEM files)."""
    pytest.importorskip("cryptography")  # a test extra (pyproject [test])
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vidcoop test")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_the_session_cookie_is_secure_over_uvicorns_tls(partner_week: Path, tmp_path: Path) -> None:
    import ssl

    import httpx

    cert, key = self_signed(tmp_path)
    store = PartnerStore.open(partner_week.parent / "channel" / "channel.yaml")
    token = store.invite("caritas-musterstadt", by="Redaktion")
    with serve(create_app(partner_week), ssl_certfile=str(cert), ssl_keyfile=str(key)) as url:
        assert url.startswith("https://127.0.0.1:")
        trust = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=url, verify=trust) as client:
            opened = client.get(f"/p/{token}")
            assert opened.status_code == 303
            cookie = opened.headers["set-cookie"]
            flags = {part.strip().lower() for part in cookie.split(";")[1:]}
            assert {"secure", "httponly", "samesite=strict", "path=/"} <= flags
            home = client.get("/partner")  # the Secure cookie comes back over TLS
            assert home.status_code == 200
            assert "Caritas Musterstadt" in home.text
            assert client.cookies.get(SESSION_COOKIE)
        with httpx.Client(base_url=url) as untrusting, pytest.raises(httpx.ConnectError):
            untrusting.get("/partner")  # it really is TLS with our certificate


def test_behind_a_tls_proxy_the_cookie_is_secure_and_the_limit_counts_the_partners_address(
    partner_week: Path,
) -> None:
    """A proxy on 127.0.0.1 says ``X-Forwarded-Proto: https`` and ``X-Forwarded-For``: uvicorn trusts it."""
    import httpx

    store = PartnerStore.open(partner_week.parent / "channel" / "channel.yaml")
    token = store.invite("caritas-musterstadt", by="Redaktion")
    with serve(create_app(partner_week)) as url:
        proxied = {"Host": "partner.example.org", "X-Forwarded-Proto": "https"}
        with httpx.Client(base_url=url) as client:
            for n in range(5):
                wrong = client.get(f"/p/wrong-{n}", headers={**proxied, "X-Forwarded-For": "203.0.113.7"})
                assert wrong.status_code == 403
            blocked = client.get(f"/p/{token}", headers={**proxied, "X-Forwarded-For": "203.0.113.7"})
            assert blocked.status_code == 429
            opened = client.get(f"/p/{token}", headers={**proxied, "X-Forwarded-For": "198.51.100.2"})
            assert opened.status_code == 303  # another partner behind the same proxy is not blocked
            flags = {part.strip().lower() for part in opened.headers["set-cookie"].split(";")[1:]}
            assert "secure" in flags
            plain = client.get(f"/p/{store.invite('diakonie-musterstadt', by='Redaktion')}")
            assert "secure" not in plain.headers["set-cookie"].lower()  # no proxy, no TLS: no Secure


def test_vidcoop_studio_passes_the_tls_files_and_prints_https(
    partner_week: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from vidcoop.cli.main import cli

    cert, key = self_signed(tmp_path)
    served: list[dict[str, object]] = []

    def run(app: object, host: str, port: int, sock: object = None, **tls: object) -> None:
        served.append(tls)

    monkeypatch.setattr("vidcoop.studio.app.run_server", run)
    result = CliRunner().invoke(cli, ["studio", str(partner_week), "--no-open", "--port", "0", "--ssl-certfile",
                                      str(cert), "--ssl-keyfile", str(key), "--forwarded-allow-ips", "10.0.0.5"])
    assert result.exit_code == 0, result.output
    assert "vidcoop studio: https://127.0.0.1:" in result.output
    assert served == [{"ssl_certfile": cert, "ssl_keyfile": key, "forwarded_allow_ips": "10.0.0.5"}]


def test_run_server_gives_uvicorn_the_tls_files_and_the_trusted_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    import vidcoop.studio.app as studio_app

    configs: list[dict[str, object]] = []

    class Config:
        def __init__(self, app: object, **settings: object) -> None:
            configs.append(settings)

    class Server:
        def __init__(self, config: object) -> None:
            pass

        async def serve(self, sockets: object = None) -> None:
            return None

    monkeypatch.setattr(studio_app.uvicorn, "Config", Config)
    monkeypatch.setattr(studio_app.uvicorn, "Server", Server)
    studio_app.run_server(object(), "127.0.0.1", 0, ssl_certfile=Path("c.pem"), ssl_keyfile=Path("k.pem"),
                          forwarded_allow_ips="10.0.0.5")
    assert configs[0]["ssl_certfile"] == "c.pem" and configs[0]["ssl_keyfile"] == "k.pem"
    assert configs[0]["proxy_headers"] is True and configs[0]["forwarded_allow_ips"] == "10.0.0.5"
    studio_app.run_server(object(), "127.0.0.1", 0)
    assert configs[1]["ssl_certfile"] is None and configs[1]["forwarded_allow_ips"] is None  # uvicorn: 127.0.0.1
