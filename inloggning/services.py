"""The second factor: TOTP devices of django-otp (one confirmed device per user)."""

import secrets
from base64 import b32encode
from binascii import unhexlify
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.http import urlencode
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

ENHETSNAMN = "Autentiseringsapp"


def totp_nyckel_create() -> str:
    """A new secret (20 random bytes, hex, as django-otp stores it)."""
    return secrets.token_hex(20)


def totp_nyckel_text(nyckel: str) -> str:
    """The secret as the apps ask for it: base32 in groups of four."""
    b32 = b32encode(unhexlify(nyckel)).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def totp_config_url(*, nyckel: str, anvandarnamn: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    utgivare = settings.OTP_TOTP_ISSUER
    b32 = b32encode(unhexlify(nyckel)).decode().rstrip("=")
    parametrar = urlencode({"secret": b32, "issuer": utgivare, "digits": 6, "period": 30})
    return f"otpauth://totp/{utgivare}:{anvandarnamn}?{parametrar}"


def totp_qr_svg(url: str) -> bytes:
    """The QR code as SVG, drawn here (never by an outside service)."""
    bild = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    ut = BytesIO()
    bild.save(ut)
    return ut.getvalue()


def totp_device_confirmed(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None. One query."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_confirm(*, user, nyckel: str, kod: str) -> TOTPDevice | None:
    """Turn on (or replace) the second factor if ``kod`` matches the new secret.

    Checked with the secret alone before anything is saved, so a wrong code writes
    nothing; a right one replaces every earlier device of the user.
    """
    totp = TOTP(unhexlify(nyckel))
    if not kod.isdigit() or not totp.verify(int(kod), tolerance=1):
        return None
    for gammal in devices_for_user(user, confirmed=None):
        gammal.delete()
    return TOTPDevice.objects.create(
        user=user, name=ENHETSNAMN, key=nyckel, confirmed=True, last_t=totp.t()
    )


def totp_verify(*, device: TOTPDevice, kod: str) -> bool:
    """Check a code against the user's device; django-otp slows down repeated failures."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device.verify_token(kod)


@transaction.atomic
def totp_disable(*, user) -> int:
    """Remove every second-factor device of the user; returns how many."""
    antal = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        antal += 1
    return antal
