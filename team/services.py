"""Writes of the team self-assessment: invitations, links, members' ratings, the consensus.

Keyword-only, each in one transaction; bad input raises ``ValidationError`` with a Swedish
message before anything changes. The consensus is written through the answer service
(``vardcentraler.omgangar.services.svar_save_many``: optimistic versions), not beside it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lib.forms import for_lang
from malbild.models import HOGSTA_NIVA, LAGSTA_NIVA, Kriterium
from vardcentraler.models import Omgang, Sjalvskattning, Svar, max_length
from vardcentraler.omgangar import services as omgang_services

from .lankar import teamlank_create
from .models import Teammedlem, Teamsvar, Yrke

NAMN_MAX = max_length(Teammedlem, "namn")
KOMMENTAR_MAX = max_length(Teamsvar, "kommentar")
MAX_MEDLEMMAR = 40


def _check_team_open(sjalvskattning: Sjalvskattning) -> None:
    if not sjalvskattning.omgang.teambedomning:
        raise ValidationError("Omgången har inte teambedömning.", code="ej_team")
    omgang_services.check_open(sjalvskattning)


@transaction.atomic
def omgang_teambedomning_set(*, omgang: Omgang, pa: bool, anvandare) -> None:
    """Switch the round's team assessment on or off (the planner's choice)."""
    aktuell = Omgang.objects.select_for_update().get(pk=omgang.pk)
    if aktuell.status == Omgang.Status.STANGD:
        raise ValidationError("Omgången är stängd. Inget har ändrats.")
    if aktuell.teambedomning != pa:
        aktuell.teambedomning = pa
        omgang_services.history_user_set(aktuell, anvandare)
        aktuell.save(update_fields=["teambedomning"])
    omgang.teambedomning = pa


@transaction.atomic
def teammedlem_create(
    *, sjalvskattning: Sjalvskattning, namn: str, yrke: str, anvandare
) -> tuple[Teammedlem, str]:
    """Invite a member: returns the member and the personal link's token (shown once)."""
    Sjalvskattning.objects.select_for_update().get(pk=sjalvskattning.pk)
    _check_team_open(sjalvskattning)
    namn = namn.strip()
    fel = {}
    if not namn:
        fel["namn"] = "Ange medlemmens namn."
    elif len(namn) > NAMN_MAX:
        fel["namn"] = f"Namnet får vara högst {NAMN_MAX} tecken."
    if yrke not in Yrke.values:
        fel["yrke"] = "Välj en profession i listan."
    antal = Teammedlem.objects.filter(
        omgang_id=sjalvskattning.omgang_id,
        vardcentral_id=sjalvskattning.vardcentral_id,
        borttagen=False,
    ).count()
    if antal >= MAX_MEDLEMMAR:
        fel["namn"] = f"Teamet har redan {MAX_MEDLEMMAR} medlemmar, det högsta antalet."
    if fel:
        raise ValidationError(fel)
    medlem = Teammedlem.objects.create(
        omgang_id=sjalvskattning.omgang_id,
        vardcentral_id=sjalvskattning.vardcentral_id,
        namn=namn,
        yrke=yrke,
        skapad_av=anvandare,
    )
    return medlem, teamlank_create(medlem=medlem)


def _medlem_lock(sjalvskattning: Sjalvskattning, medlem_pk: int) -> Teammedlem:
    medlem = (
        Teammedlem.objects.select_for_update()
        .filter(
            pk=medlem_pk,
            omgang_id=sjalvskattning.omgang_id,
            vardcentral_id=sjalvskattning.vardcentral_id,
            borttagen=False,
        )
        .first()
    )
    if medlem is None:
        raise ValidationError("Medlemmen finns inte i teamet. Inget har ändrats.")
    return medlem


@transaction.atomic
def teamlank_replace(*, sjalvskattning: Sjalvskattning, medlem_pk: int) -> tuple[Teammedlem, str]:
    """A new personal link for a member who lost theirs; the old one is revoked for good."""
    _check_team_open(sjalvskattning)
    medlem = _medlem_lock(sjalvskattning, medlem_pk)
    return medlem, teamlank_create(medlem=medlem)


@transaction.atomic
def teammedlem_remove(*, sjalvskattning: Sjalvskattning, medlem_pk: int) -> Teammedlem:
    """Take a member out of the team: their links are revoked, their ratings no longer count."""
    _check_team_open(sjalvskattning)
    medlem = _medlem_lock(sjalvskattning, medlem_pk)
    medlem.lankar.filter(makulerad=False).update(makulerad=True)
    medlem.borttagen = True
    medlem.save(update_fields=["borttagen"])
    return medlem


def _sjalvskattning_for(medlem: Teammedlem) -> Sjalvskattning:
    return Sjalvskattning.objects.select_related("omgang").get(
        omgang_id=medlem.omgang_id, vardcentral_id=medlem.vardcentral_id
    )


def _check_medlem_open(medlem: Teammedlem) -> None:
    if medlem.inskickad is not None:
        raise ValidationError("Du har redan skickat in din skattning. Den kan inte ändras.")
    _check_team_open(_sjalvskattning_for(medlem))


@transaction.atomic
def teamsvar_save_many(
    *, medlem: Teammedlem, svar: dict[int, tuple[str, str]], kriterier: list[Kriterium]
) -> int:
    """Save a member's ratings of one theme: ``{kriterium_pk: (value, comment)}`` where value is
    "1".."4", "vet_ej" or "" (not yet rated). All or none. Returns how many are stored."""
    medlem = Teammedlem.objects.select_for_update().get(pk=medlem.pk)
    _check_medlem_open(medlem)
    giltiga = {k.pk: k for k in kriterier}
    fel, rader = {}, []
    for kriterium_pk, (varde, kommentar) in svar.items():
        if kriterium_pk not in giltiga:
            fel["svar"] = "Kriteriet hör inte till temat. Inget har sparats."
            continue
        kommentar = kommentar.strip()
        if for_lang_fel := for_lang(kommentar, KOMMENTAR_MAX, vad="Kommentaren"):
            fel[f"k{kriterium_pk}-kommentar"] = for_lang_fel
        if varde == "vet_ej":
            rader.append((kriterium_pk, Teamsvar.Typ.VET_EJ, None, kommentar))
        elif varde.isdigit() and LAGSTA_NIVA <= int(varde) <= HOGSTA_NIVA:
            rader.append((kriterium_pk, Teamsvar.Typ.NIVA, int(varde), kommentar))
        elif varde:
            fel[f"k{kriterium_pk}-svar"] = (
                f"Välj en nivå mellan {LAGSTA_NIVA} och {HOGSTA_NIVA} eller ”vet ej”."
            )
        elif kommentar:
            fel[f"k{kriterium_pk}-svar"] = "Välj en nivå eller ”vet ej” till kommentaren."
    if fel:
        raise ValidationError(fel)
    for kriterium_pk, typ, niva, kommentar in rader:
        Teamsvar.objects.update_or_create(
            medlem=medlem,
            kriterium_id=kriterium_pk,
            defaults={"typ": typ, "niva": niva, "kommentar": kommentar},
        )
    return len(rader)


@transaction.atomic
def teammedlem_submit(*, medlem: Teammedlem, antal_kriterier: int) -> None:
    """Submit the member's ratings: every criterion rated (a level or "vet ej"); then final."""
    medlem = Teammedlem.objects.select_for_update().get(pk=medlem.pk)
    _check_medlem_open(medlem)
    besvarade = medlem.svar.count()
    if besvarade < antal_kriterier:
        raise ValidationError(
            f"Du har skattat {besvarade} av {antal_kriterier} kriterier. "
            "Skatta alla (eller välj ”vet ej”) innan du skickar in."
        )
    medlem.inskickad = timezone.now()
    medlem.save(update_fields=["inskickad"])


def konsensus_save(
    *, sjalvskattning: Sjalvskattning, data: list[omgang_services.SvarData], anvandare
) -> tuple[list[Svar], dict[int, Svar]]:
    """Record the team's consensus on one theme as the unit's answers (the answer service)."""
    if not sjalvskattning.omgang.teambedomning:
        raise ValidationError("Omgången har inte teambedömning.")
    return omgang_services.svar_save_many(
        sjalvskattning=sjalvskattning, data=data, anvandare=anvandare
    )
