"""Writes of the region's requirements (``Krav``) per round."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from malbild.models import Kriterium
from uppfoljning.services import fardplan_forbered

from ..models import Krav, Omgang


@dataclass(frozen=True)
class KravRad:
    kriterium_id: int
    kravniva: str
    formulering: str
    dokument: str
    avsnitt: str


def krav_save(*, omgang: Omgang, rader: list[KravRad]) -> int:
    """Save the round's requirements, all or nothing. Returns how many rows changed.

    Every criterion of the round's målbild version must be present exactly once;
    a ska- or bör-krav needs its wording. Raises ValidationError (Swedish) and
    writes nothing otherwise.
    """
    giltiga = set(
        Kriterium.objects.for_version(omgang.malbild_version_id).values_list("pk", flat=True)
    )
    fel: list[str] = []
    sedda = [r.kriterium_id for r in rader]
    if set(sedda) != giltiga or len(sedda) != len(giltiga):
        fel.append(
            "Formuläret stämmer inte med omgångens kriterier. Ladda om sidan och försök igen."
        )
    for r in rader:
        if r.kravniva not in Krav.Kravniva.values:
            fel.append("Välj en kravnivå för varje kriterium.")
            break
    for r in rader:
        if r.kravniva in (Krav.Kravniva.SKA, Krav.Kravniva.BOR) and not r.formulering.strip():
            fel.append("Ett ska- eller bör-krav behöver kravets formulering.")
            break
    if fel:
        raise ValidationError(fel)
    andrade = 0
    with transaction.atomic():
        # Two planners saving the round's requirements at once: the second waits here and then
        # updates the rows the first created, instead of inserting them again (IntegrityError).
        Omgang.objects.select_for_update().filter(pk=omgang.pk).first()
        befintliga = {k.kriterium_id: k for k in Krav.objects.filter(omgang=omgang)}
        for r in rader:
            varden = {
                "kravniva": r.kravniva,
                "formulering": r.formulering.strip(),
                "dokument": r.dokument.strip(),
                "avsnitt": r.avsnitt.strip(),
            }
            krav = befintliga.get(r.kriterium_id)
            if krav is None:
                Krav.objects.create(omgang=omgang, kriterium_id=r.kriterium_id, **varden)
                andrade += 1
            elif any(getattr(krav, k) != v for k, v in varden.items()):
                for k, v in varden.items():
                    setattr(krav, k, v)
                krav.save()
                andrade += 1
        fardplan_forbered(omgang=omgang)
    return andrade


def krav_carry_over(*, omgang: Omgang, foregaende: Omgang | None, kriterier) -> int:
    """Copy the previous round's requirements onto the same (or replacing) criteria, to be
    changed there, as targets carry over. Returns how many were copied."""
    if foregaende is None:
        return 0
    tidigare = {k.kriterium_id: k for k in Krav.objects.filter(omgang=foregaende)}
    nya = []
    for kriterium in kriterier:
        krav = tidigare.get(kriterium.pk) or tidigare.get(kriterium.ersatter_id)
        if krav is not None:
            nya.append(
                Krav(
                    omgang=omgang,
                    kriterium=kriterium,
                    kravniva=krav.kravniva,
                    formulering=krav.formulering,
                    dokument=krav.dokument,
                    avsnitt=krav.avsnitt,
                )
            )
    Krav.objects.bulk_create(nya)
    return len(nya)
