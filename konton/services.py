"""Writes for accounts: invite, resend, accept, change role, deactivate, link to SSO.

Every service validates first and raises ``ValidationError`` with a Swedish
message (keyed by field where there is one) before it changes anything, and runs
in one transaction. The acting user is set on every saved object
(``_history_user``) so the audit trail names them also outside a request.
Users are never deleted: deactivation sets ``is_active=False``.
"""

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lib.tokens import token_hash
from vardcentraler import behorighet
from vardcentraler.models import Profil, Region, Vardcentral

from .historik import anvandarnamn
from .models import Inbjudan, Konto

User = get_user_model()


def _med_aktor(obj, aktor):
    obj._history_user = aktor
    return obj


def _giltighet() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INBJUDAN_GILTIG_DAGAR)


# --- Invitations ------------------------------------------------------------------------


def _skapa_inbjudan(*, av, anvandare, bas_url: str) -> Inbjudan:
    """Void earlier open invitations, store a new one, send the mail. Inside a transaction."""
    Inbjudan.objects.filter(anvandare=anvandare, anvand__isnull=True).update(makulerad=True)
    token = secrets.token_urlsafe(32)
    inbjudan = Inbjudan.objects.create(
        anvandare=anvandare,
        token_hash=token_hash(token),
        giltig_till=timezone.now() + _giltighet(),
        skapad_av=av,
        skapad_av_namn=anvandarnamn(av),
    )
    _skicka_inbjudan(inbjudan, lank=bas_url + reverse("konton:inbjudan_accept", args=[token]))
    return inbjudan


def _skicka_inbjudan(inbjudan: Inbjudan, *, lank: str) -> None:
    """The invitation mail, Swedish, plain text and HTML from one context."""
    context = {
        "inbjudan": inbjudan,
        "anvandare": inbjudan.anvandare,
        "roll": behorighet.roll_namn(inbjudan.anvandare),
        "lank": lank,
        "sso_pa": settings.SSO_PA,
        "lokala_losenord": settings.LOKALA_LOSENORD,
    }
    mail = EmailMultiAlternatives(
        subject="Inbjudan till Målbild psykisk ohälsa",
        body=render_to_string("konton/email/inbjudan.txt", context),
        to=[inbjudan.anvandare.email],
    )
    mail.attach_alternative(render_to_string("konton/email/inbjudan.html", context), "text/html")
    mail.send()


def _validera_roll(
    *, av, roll: str, region: Region | None, vardcentraler: Iterable[Vardcentral]
) -> list[Vardcentral]:
    tillatna = {r for r, _ in behorighet.roller_att_tilldela(av, region)}
    if roll not in tillatna:
        raise ValidationError({"roll": "Du kan inte ge den rollen."})
    enheter = list(vardcentraler)
    if behorighet.roll_kraver_vardcentraler(roll):
        if not enheter:
            raise ValidationError(
                {"vardcentraler": "Välj minst en vårdcentral för verksamhetschefen."}
            )
        if any(vc.region_id != region.pk for vc in enheter):
            raise ValidationError({"vardcentraler": "Välj bara vårdcentraler i regionen."})
    return enheter


def inbjudan_create(
    *,
    av,
    fornamn: str,
    efternamn: str,
    epost: str,
    roll: str,
    region: Region | None,
    vardcentraler: Iterable[Vardcentral] = (),
    hsa_id: str = "",
    bas_url: str,
):
    """Create the account (no password, no SSO link yet) with its role, and send the link.

    The e-mail address is the username; SSO matches on it (or on the HSA-id).
    """
    epost = epost.strip().lower()
    enheter = _validera_roll(av=av, roll=roll, region=region, vardcentraler=vardcentraler)
    if (
        User.objects.filter(email__iexact=epost).exists()
        or User.objects.filter(username__iexact=epost).exists()
    ):
        raise ValidationError(
            {
                "epost": "E-postadressen används redan av ett konto. Är personen inaktiverad "
                "eller i en annan region? Kontakta en administratör."
            }
        )
    if hsa_id and Konto.objects.filter(sso_hsa_id=hsa_id).exists():
        raise ValidationError({"hsa_id": "HSA-id:t används redan av ett annat konto."})
    try:
        return _inbjudan_create(
            av=av,
            fornamn=fornamn,
            efternamn=efternamn,
            epost=epost,
            roll=roll,
            region=region,
            enheter=enheter,
            hsa_id=hsa_id,
            bas_url=bas_url,
        )
    except IntegrityError as exc:
        # Two planners inviting the same address at once: the unique username decides.
        raise ValidationError(
            {"epost": "E-postadressen eller HSA-id:t används redan av ett konto."}
        ) from exc


def _inbjudan_create(*, av, fornamn, efternamn, epost, roll, region, enheter, hsa_id, bas_url):
    with transaction.atomic():
        anvandare = _med_aktor(
            User(username=epost, email=epost, first_name=fornamn, last_name=efternamn), av
        )
        anvandare.set_unusable_password()
        if behorighet.roll_ar_admin(roll):
            anvandare.is_staff = anvandare.is_superuser = True
        anvandare.save()
        if not behorighet.roll_ar_admin(roll):
            profil = _med_aktor(Profil(anvandare=anvandare, roll=roll, region=region), av)
            profil.save()
            if enheter:
                profil.vardcentraler.set(enheter)
        _med_aktor(Konto(anvandare=anvandare, sso_hsa_id=hsa_id), av).save()
        _skapa_inbjudan(av=av, anvandare=anvandare, bas_url=bas_url)
    return anvandare


def inbjudan_resend(*, av, anvandare, bas_url: str) -> Inbjudan:
    """A new link for an active account; the earlier links stop working."""
    if not anvandare.is_active:
        raise ValidationError("Kontot är inaktiverat. Aktivera det först.")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=anvandare.pk)
        return _skapa_inbjudan(av=av, anvandare=anvandare, bas_url=bas_url)


def inbjudan_accept(*, token: str, losenord: str | None):
    """Use an invitation: set the password (or, with ``losenord=None``, only mark it
    used for an SSO login). Raises ``ValidationError`` if the link is no longer valid."""
    with transaction.atomic():
        inbjudan = (
            Inbjudan.objects.giltiga()
            .select_for_update()
            .select_related("anvandare")
            .filter(token_hash=token_hash(token), anvandare__is_active=True)
            .first()
        )
        if inbjudan is None:
            raise ValidationError(
                "Länken gäller inte längre. Den kan ha använts eller gått ut. "
                "Be den som bjöd in dig om en ny inbjudan.",
                code="ogiltig",
            )
        anvandare = _med_aktor(inbjudan.anvandare, inbjudan.anvandare)
        if losenord is not None:
            password_validation.validate_password(losenord, anvandare)
            anvandare.set_password(losenord)
            anvandare._change_reason = "Lösenord valt via inbjudan"
            anvandare.save()
        inbjudan.anvand = timezone.now()
        inbjudan.save(update_fields=["anvand"])
    return anvandare


# --- Role and status --------------------------------------------------------------------


def anvandarens_region(anvandare) -> Region | None:
    profil = getattr(anvandare, "profil", None)
    if profil is None:
        return None
    if profil.region_id:
        return profil.region
    vc = profil.vardcentraler.select_related("region").first()
    return vc.region if vc else None


def anvandare_update(
    *, av, anvandare, roll: str, region: Region | None, vardcentraler: Iterable[Vardcentral]
) -> None:
    """Change the role and units. Units of other regions (a manager of units in two
    regions) are kept when a planner changes the own region's units."""
    if anvandare.pk == av.pk:
        raise ValidationError("Du kan inte ändra din egen roll.")
    enheter = _validera_roll(av=av, roll=roll, region=region, vardcentraler=vardcentraler)
    with transaction.atomic():
        anvandare = _med_aktor(User.objects.select_for_update().get(pk=anvandare.pk), av)
        profil = Profil.objects.filter(anvandare=anvandare).first()
        if behorighet.roll_ar_admin(roll):
            if profil is not None:
                _med_aktor(profil, av).delete()
            anvandare.is_staff = anvandare.is_superuser = True
            anvandare.save()
            return
        if anvandare.is_superuser:
            anvandare.is_staff = anvandare.is_superuser = False
            anvandare.save()
        if profil is None:
            profil = Profil(anvandare=anvandare)
        _med_aktor(profil, av)
        profil.roll = roll
        profil.region = region
        profil.save()
        if behorighet.roll_kraver_vardcentraler(roll):
            andra = [vc for vc in profil.vardcentraler.all() if vc.region_id != region.pk]
            profil.vardcentraler.set(andra + enheter)
        else:
            profil.vardcentraler.clear()


def anvandare_deactivate(*, av, anvandare) -> None:
    """Deactivate (never delete): sign-in stops at once, open invitations are voided."""
    if anvandare.pk == av.pk:
        raise ValidationError("Du kan inte inaktivera dig själv.")
    with transaction.atomic():
        anvandare = _med_aktor(User.objects.select_for_update().get(pk=anvandare.pk), av)
        if not anvandare.is_active:
            raise ValidationError("Kontot är redan inaktiverat.")
        anvandare.is_active = False
        anvandare.save()
        Inbjudan.objects.filter(anvandare=anvandare, anvand__isnull=True).update(makulerad=True)


def anvandare_reactivate(*, av, anvandare) -> None:
    with transaction.atomic():
        anvandare = _med_aktor(User.objects.select_for_update().get(pk=anvandare.pk), av)
        if anvandare.is_active:
            raise ValidationError("Kontot är redan aktivt.")
        anvandare.is_active = True
        anvandare.save()


# --- Single sign-on ---------------------------------------------------------------------


def sso_koppla(*, anvandare, utfardare: str, subjekt: str) -> None:
    """Link an invited account to the provider's identity at its first SSO login,
    and mark its open invitation used."""
    with transaction.atomic():
        konto, _ = Konto.objects.select_for_update().get_or_create(anvandare=anvandare)
        if konto.sso_subjekt:
            return
        _med_aktor(konto, anvandare)
        konto.sso_utfardare = utfardare
        konto.sso_subjekt = subjekt
        konto.sso_kopplad = timezone.now()
        konto.save()
        Inbjudan.objects.giltiga().filter(anvandare=anvandare).update(anvand=timezone.now())
