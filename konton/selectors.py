"""Reads for accounts, scoped by the access policy (vardcentraler.behorighet)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from lib.tokens import token_hash
from vardcentraler import behorighet
from vardcentraler.models import Profil, Vardcentral

from .models import Inbjudan, Konto

User = get_user_model()


def anvandare_list_for(aktor) -> QuerySet:
    """The users the actor manages, with profile, region, units and invitation status.

    Three queries whatever the number of users: the users (with profile and region
    joined and the two invitation states as EXISTS subqueries) and one prefetch of
    the units.
    """
    inbjudningar = Inbjudan.objects.filter(anvandare=OuterRef("pk"))
    return (
        behorighet.anvandare_for(aktor)
        .select_related("profil__region", "konto")
        .prefetch_related(
            Prefetch(
                "profil__vardcentraler",
                queryset=Vardcentral.objects.select_related("region").order_by("namn"),
            )
        )
        .annotate(
            har_giltig_inbjudan=Exists(inbjudningar.giltiga()),
            har_anvant_inbjudan=Exists(inbjudningar.filter(anvand__isnull=False)),
        )
        .order_by("last_name", "first_name", "username")
    )


def anvandare_get_for_user(aktor, username: str):
    """One user the actor manages; 404 otherwise (existence is not confirmed)."""
    anvandare = anvandare_list_for(aktor).filter(username=username).first()
    if anvandare is None:
        raise Http404
    return anvandare


def anvandare_rader(sida) -> list[tuple]:
    """(user, status, role name) for a page of ``anvandare_list_for``, no further query:
    the joined profile primes the per-user cache that ``roll_for`` reads."""
    rader = []
    for u in sida:
        try:
            u._profil_cache = u.profil
        except Profil.DoesNotExist:
            u._profil_cache = None
        rader.append((u, status(u), behorighet.roll_namn(u)))
    return rader


def status(anvandare) -> str:
    """Inaktiverad / Aktiv / Inbjuden / Inbjudan har gått ut, for a row of ``anvandare_list_for``."""
    if not anvandare.is_active:
        return "Inaktiverad"
    if anvandare.last_login or anvandare.har_anvant_inbjudan:
        return "Aktiv"
    if anvandare.har_giltig_inbjudan:
        return "Inbjuden"
    return "Inbjudan har gått ut"


def roll_initial(anvandare) -> dict:
    """The role form's initial values for a user of ``anvandare_list_for`` (units prefetched)."""
    try:
        profil = anvandare.profil
    except Profil.DoesNotExist:
        return {"roll": behorighet.Roll.ADMIN.value if anvandare.is_superuser else ""}
    return {"roll": profil.roll, "vardcentraler": list(profil.vardcentraler.all())}


def inbjudan_giltig(token: str) -> Inbjudan | None:
    """The invitation behind a link if it can still be used. One query."""
    return (
        Inbjudan.objects.giltiga()
        .select_related("anvandare")
        .filter(token_hash=token_hash(token), anvandare__is_active=True)
        .first()
    )


# --- Single sign-on ---------------------------------------------------------------------


def anvandare_for_sso(*, utfardare: str, subjekt: str, matchvarde: str, matchning: str):
    """The account for a provider identity: by its stored link, else (first login) by
    e-mail or by the person's HSA-id in the configured claim. At most two queries."""
    konto = (
        Konto.objects.select_related("anvandare")
        .filter(sso_utfardare=utfardare, sso_subjekt=subjekt)
        .first()
    )
    if konto is not None:
        return konto.anvandare
    if not matchvarde:
        return None
    if matchning == "email":
        kandidater = list(User.objects.filter(email__iexact=matchvarde)[:2])
    else:
        kandidater = list(User.objects.filter(konto__sso_hsa_id=matchvarde)[:2])
    if len(kandidater) != 1:
        return None
    anvandare = kandidater[0]
    if Konto.objects.filter(anvandare=anvandare).exclude(sso_subjekt="").exists():
        return None  # linked to another identity already
    return anvandare


def sso_kopplad(anvandare) -> bool:
    return Konto.objects.filter(anvandare=anvandare).exclude(sso_subjekt="").exists()


def far_kopplas(anvandare) -> bool:
    """May the account be linked at this login? An account in use (it has signed in
    before), or an invited one whose invitation is still valid."""
    return anvandare.last_login is not None or (
        Inbjudan.objects.giltiga().filter(anvandare=anvandare).exists()
    )


# --- History ----------------------------------------------------------------------------

FALT = {
    "first_name": "Förnamn",
    "last_name": "Efternamn",
    "email": "E-post",
    "is_active": "Aktiv",
    "is_superuser": "Administratör",
    "is_staff": "Administratör (Django admin)",
    "username": "Användarnamn",
    "roll": "Roll",
    "region": "Region",
    "vardcentraler": "Vårdcentraler",
    "sso_hsa_id": "Personens HSA-id",
    "sso_subjekt": "Kopplad till inloggningstjänsten",
}
DOLDA = {"sso_utfardare", "sso_kopplad", "is_staff", "date_joined", "anvandare", "id"}


@dataclass
class Handelse:
    nar: object
    vem: str
    vad: str
    andringar: list[tuple[str, str, str]]


def _varde(falt: str, varde) -> str:
    if varde in (None, ""):
        return "–"
    if isinstance(varde, bool):
        return "ja" if varde else "nej"
    if falt == "roll":
        return dict(Profil.Roll.choices).get(varde, varde)
    if falt == "vardcentraler":
        ids = [rad["vardcentral"] for rad in varde]
        namn = (
            Vardcentral.objects.filter(pk__in=ids).order_by("namn").values_list("namn", flat=True)
        )
        return ", ".join(namn) or "–"
    return str(varde)


def _handelser(historik, vad: dict[str, str]) -> list[Handelse]:
    rader = list(historik)
    ut = []
    for i, rad in enumerate(rader):
        andringar = []
        foregaende = rader[i + 1] if i + 1 < len(rader) else None
        if foregaende is not None and rad.history_type == "~":
            for c in rad.diff_against(foregaende).changes:
                if c.field in DOLDA:
                    continue
                andringar.append(
                    (FALT.get(c.field, c.field), _varde(c.field, c.old), _varde(c.field, c.new))
                )
            if not andringar and not rad.history_change_reason:
                continue
        ut.append(
            Handelse(
                nar=rad.history_date,
                vem=rad.history_user_namn or "systemet",
                vad=rad.history_change_reason or vad[rad.history_type],
                andringar=andringar,
            )
        )
    return ut


def anvandare_historik(anvandare) -> list[Handelse]:
    """The account's audit trail, newest first: the user, the role profile and the SSO
    link, and the invitations. Four queries plus one per change of units (a handful per
    account)."""
    handelser = _handelser(
        User.history.filter(id=anvandare.pk).order_by("-history_date", "-history_id"),
        {"+": "Kontot skapades", "~": "Kontot ändrades", "-": "Kontot togs bort"},
    )
    handelser += _handelser(
        Profil.history.filter(anvandare_id=anvandare.pk).order_by("-history_date", "-history_id"),
        {"+": "Roll gavs", "~": "Rollen ändrades", "-": "Rollen togs bort"},
    )
    handelser += _handelser(
        Konto.history.filter(anvandare_id=anvandare.pk).order_by("-history_date", "-history_id"),
        {"+": "Kontouppgifter skapades", "~": "Inloggning kopplades", "-": "Kopplingen togs bort"},
    )
    for inbjudan in Inbjudan.objects.filter(anvandare=anvandare):
        handelser.append(
            Handelse(
                inbjudan.skapad, inbjudan.skapad_av_namn or "systemet", "Inbjudan skickades", []
            )
        )
        if inbjudan.anvand:
            namn = anvandare.get_full_name() or anvandare.username
            handelser.append(Handelse(inbjudan.anvand, namn, "Inbjudan användes", []))
    return sorted(handelser, key=lambda h: h.nar, reverse=True)
