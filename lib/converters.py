"""URL converters that match only the shapes the app issues.

A segment of any other shape (a NUL byte, a control character, 10,000 characters) never
reaches a view or the database: the URL simply does not resolve, so the answer is 404.
Registered when this module is first imported (every ``urls.py`` imports it), as
``<hsa:hsa_id>``, ``<regionkod:kod>``, ``<anvandarnamn:username>`` and ``<token:token>``.
"""

from django.urls import register_converter


class HsaIdConverter:
    """A vårdcentral's HSA-id: SE, ten digits, a hyphen, 1–18 letters a–z or digits (31 max),
    the same shape as ``vardcentraler.models.validate_hsa_id``."""

    regex = r"SE[0-9]{10}-[A-Za-z0-9]{1,18}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RegionKodConverter:
    """A region's two-digit county code (länskod), e.g. ``01``."""

    regex = r"[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class AnvandarnamnConverter:
    """A user name as Django's username validator allows it: letters, digits and @.+-_."""

    regex = r"[\w.@+-]{1,150}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TokenConverter:
    """An invitation token (``secrets.token_urlsafe``): URL-safe base64, at most 100 characters."""

    regex = r"[A-Za-z0-9_-]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(HsaIdConverter, "hsa")
register_converter(AnvandarnamnConverter, "anvandarnamn")
register_converter(TokenConverter, "token")
register_converter(RegionKodConverter, "regionkod")
