"""pytest fixture: the test OpenID Connect provider as a subprocess on a free loopback port."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "malbild-test"
CLIENT_SECRET = "hemlighet-" + "s" * 30
LOSENORD = "regionens-losenord"

# The provider's people. The username is the person's HSA-id (claim ``hsa_id``).
PERSONER = {
    "chef": dict(username="SE2321000016-P0001", email="ny.chef@region.test", first_name="Nora"),
    "okand": dict(username="SE2321000016-P0002", email="okand@region.test", first_name="Olle"),
    "utgangen": dict(
        username="SE2321000016-P0003", email="utgangen@region.test", first_name="Ulla"
    ),
    "hsa": dict(username="SE2321000016-P0004", email="annan.adress@region.test", first_name="Hans"),
}


@dataclass
class Leverantor:
    url: str
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    rsa_nyckel: str = ""
    personer: dict = field(default_factory=lambda: PERSONER)

    def app_settings(self, csp: dict) -> dict:
        """The app's settings for SSO against this provider (as the env variables give)."""
        return {
            "SECURE_CSP": {**csp, "form-action": [*csp["form-action"], self.url]},
            "SSO_PA": True,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/.well-known/jwks.json",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/logout/",
            "SSO_NAMN": "Region Teststads inloggning",
            "AUTHENTICATION_BACKENDS": [
                "konton.sso.SsoBackend",
                "django.contrib.auth.backends.ModelBackend",
            ],
        }


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rsa_nyckel() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    nyckel = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return nyckel.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    katalog = tmp_path_factory.mktemp("oidc_provider")
    port = _ledig_port()
    url = f"http://127.0.0.1:{port}"
    lev = Leverantor(url=url, issuer=f"{url}/o", rsa_nyckel=_rsa_nyckel())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OP_DB": str(katalog / "op.sqlite3"),
        "OP_RSA_KEY": lev.rsa_nyckel,
        "OP_ISSUER": lev.issuer,
    }
    config = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{live_server.url}/sso/callback/",
        "post_logout_redirect_uri": f"{live_server.url}/logga-in/",
        "users": [{**p, "last_name": "Testsson", "password": LOSENORD} for p in PERSONER.values()],
    }
    subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.forbered", json.dumps(config)],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    logg = open(katalog / "server.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=logg,
        stderr=subprocess.STDOUT,
    )
    try:
        slut = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{lev.issuer}/.well-known/jwks.json", timeout=2):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > slut:
                    raise RuntimeError(
                        "Testleverantören startade inte: " + (katalog / "server.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield lev
    finally:
        process.terminate()
        process.wait(timeout=10)
        logg.close()
