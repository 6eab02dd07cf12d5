"""Personal API tokens: how a region's own analysis tools read the API as their user.

A token is shown once, when it is created, and only its SHA-256 is stored: the token is
``secrets.token_urlsafe(32)`` (256 random bits), so a plain hash is enough (no salt or
slow hash is needed against guessing, unlike a password). The token carries no role or
scope of its own: every request runs as its user, through the same access policy
(``vardcentraler/behorighet.py``) as the browser, so it never shows more than the user sees.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "mb_"  # noqa: S105 - lets secret scanners and people recognise a token


class ApiTokenQuerySet(models.QuerySet):
    def giltiga(self) -> "ApiTokenQuerySet":
        """Tokens neither revoked nor expired. No query until evaluated."""
        return self.filter(aterkallad__isnull=True, giltig_till__gt=timezone.now())


class ApiToken(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token"
    )
    namn = models.CharField("namn", max_length=100)
    nyckel_hash = models.CharField("tokenens SHA-256", max_length=64, unique=True, editable=False)
    borjan = models.CharField("tokenens början", max_length=12, editable=False)
    skapad = models.DateTimeField("skapad", auto_now_add=True)
    giltig_till = models.DateTimeField("giltig till")
    senast_anvand = models.DateTimeField("senast använd", null=True, blank=True)
    aterkallad = models.DateTimeField("återkallad", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API-token"
        verbose_name_plural = "API-token"
        ordering = ["-skapad"]
        indexes = [models.Index(fields=["anvandare", "-skapad"], name="apitoken_anvandare")]

    def __str__(self) -> str:
        return f"{self.namn} ({self.borjan}…)"

    @property
    def ar_giltig(self) -> bool:
        return self.aterkallad is None and self.giltig_till > timezone.now()

    @property
    def status(self) -> str:
        if self.aterkallad:
            return "Återkallad"
        return "Giltig" if self.giltig_till > timezone.now() else "Utgången"
