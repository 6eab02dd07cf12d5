"""Accounts (konton): invitations, single sign-on links and the accounts' audit trail.

Who a user is and may do lives in Django's user (name, e-mail, active) and in
``vardcentraler.Profil`` (role, region, units). This app adds what an account
needs to be administered by the region: an invitation (``Inbjudan``) with a
one-time expiring link, and the account's link to the identity provider
(``Konto``). History of the user and of Profil is registered here, so that this
app owns the accounts' audit trail.
"""

import simple_history
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from vardcentraler.models import Profil

from .historik import AnvandarHistorik, HistorikMedNamn

HSA_ID_PERSON_MAX = 31


class Konto(models.Model):
    """An account's link to the region's identity provider (OpenID Connect).

    ``sso_hsa_id`` is the person's HSA-id, matched against a configurable claim
    when the provider does not send a trusted e-mail. ``sso_utfardare`` and
    ``sso_subjekt`` (the provider's ``iss`` and ``sub``) are stored at the first
    SSO login; later logins are matched by them, whatever the e-mail.
    """

    anvandare = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="konto"
    )
    sso_hsa_id = models.CharField("personens HSA-id", max_length=HSA_ID_PERSON_MAX, blank=True)
    sso_utfardare = models.CharField("identitetsutfärdare", max_length=300, blank=True)
    sso_subjekt = models.CharField("identitet hos utfärdaren", max_length=300, blank=True)
    sso_kopplad = models.DateTimeField("kopplad till inloggningstjänsten", null=True, blank=True)

    history = HistoricalRecords(bases=[HistorikMedNamn])

    class Meta:
        verbose_name = "konto"
        verbose_name_plural = "konton"
        constraints = [
            models.UniqueConstraint(
                fields=["sso_utfardare", "sso_subjekt"],
                condition=~models.Q(sso_subjekt=""),
                name="konto_sso_identitet_unik",
            ),
            models.UniqueConstraint(
                fields=["sso_hsa_id"],
                condition=~models.Q(sso_hsa_id=""),
                name="konto_sso_hsa_id_unik",
            ),
        ]

    def __str__(self) -> str:
        return str(self.anvandare)


class InbjudanQuerySet(models.QuerySet):
    def giltiga(self) -> "InbjudanQuerySet":
        """Unused, not voided and unexpired. No query until evaluated."""
        return self.filter(anvand__isnull=True, makulerad=False, giltig_till__gt=timezone.now())


class Inbjudan(models.Model):
    """A one-time, expiring invitation to set a password or sign in by SSO.

    Only a SHA-256 hash of the link's token is stored: a database dump does not
    give working links. A new invitation to the same user voids the earlier ones.
    """

    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbjudningar"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    skapad = models.DateTimeField("skapad", default=timezone.now)
    giltig_till = models.DateTimeField("giltig till")
    anvand = models.DateTimeField("använd", null=True, blank=True)
    makulerad = models.BooleanField("makulerad", default=False)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    skapad_av_namn = models.CharField("inbjuden av", max_length=300, blank=True)

    objects = InbjudanQuerySet.as_manager()

    class Meta:
        verbose_name = "inbjudan"
        verbose_name_plural = "inbjudningar"
        ordering = ["-skapad"]
        indexes = [models.Index(fields=["anvandare", "anvand"], name="inbjudan_anvandare_anvand")]

    def __str__(self) -> str:
        return f"Inbjudan till {self.anvandare}"


# The accounts' audit trail: the user (never the password hash or last login) and the
# role profile with its units. Registered here so this app owns both history tables.
simple_history.register(
    get_user_model(),
    app="konton",
    records_class=AnvandarHistorik,
    excluded_fields=["password", "last_login"],
    bases=[HistorikMedNamn],
)
simple_history.register(
    Profil,
    app="konton",
    m2m_fields=["vardcentraler"],
    bases=[HistorikMedNamn],
)
