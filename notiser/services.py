"""Notifications: record who should hear about an event, then mail them after commit.

Writes happen in the caller's transaction (a status change and its notice stand or fall
together); the e-mail is sent by the background worker once the transaction has committed,
never inside the request. A ``Notis`` is unique per recipient, type and key, so a reminder
or a weekly digest is sent once however often the daily command runs.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from vardcentraler import behorighet
from vardcentraler.models import Atgard, Omgang, Sjalvskattning

from .models import Installning, Notis

PAMINNELSE_DAGAR = (14, 3)  # reminders this many days before the deadline, each once


def _datum(d: datetime.date) -> str:
    return date_format(d, "j F Y")


def _skapa(mottagare: QuerySet, *, typ: str, nyckel: str, rubrik: str, text: str, lank: str):
    """One notice per recipient (existing ones are kept), mailed after the transaction commits."""
    mottagar_ids = set(mottagare.values_list("pk", flat=True))
    redan = set(
        Notis.objects.filter(mottagare_id__in=mottagar_ids, typ=typ, nyckel=nyckel).values_list(
            "mottagare_id", flat=True
        )
    )
    # ignore_conflicts: a concurrent run that made the same notice first wins; the mail task
    # claims each notice before sending, so it is mailed once either way.
    Notis.objects.bulk_create(
        [
            Notis(mottagare_id=pk, typ=typ, nyckel=nyckel, rubrik=rubrik, text=text, lank=lank)
            for pk in sorted(mottagar_ids - redan)
        ],
        ignore_conflicts=True,
    )
    nya = list(
        Notis.objects.filter(
            mottagare_id__in=mottagar_ids - redan, typ=typ, nyckel=nyckel
        ).values_list("pk", flat=True)
    )
    if nya:
        from .tasks import notis_mail_send

        transaction.on_commit(lambda: notis_mail_send.enqueue(nya))
    return nya


def sjalvskattning_notify(*, sjalvskattning: Sjalvskattning, typ: str, kommentar: str = ""):
    """Submitted → the region's planners; returned or approved → the unit's verksamhetschefer."""
    s = sjalvskattning
    vc = s.vardcentral
    lank = reverse("vardcentraler:sjalvskattning_detail", args=[s.omgang_id, vc.hsa_id])
    nyckel = f"s{s.pk}-{timezone.now().isoformat()}"
    if typ == Notis.Typ.INSKICKAD:
        return _skapa(
            behorighet.planerare_for_region(s.omgang.region_id),
            typ=typ,
            nyckel=nyckel,
            rubrik=f"{vc.namn} har skickat in sin självskattning ({s.omgang.namn})",
            text=(
                f"{vc.namn} har skickat in självskattningen för omgång {s.omgang.namn}. "
                "Den väntar på din granskning."
            ),
            lank=lank,
        )
    if typ == Notis.Typ.ATERSAND:
        text = (
            f"Planeraren har återsänt självskattningen för omgång {s.omgang.namn}. "
            "Läs kommentaren, gör ändringarna och skicka in igen."
        )
        if kommentar:
            text += f"\n\nPlanerarens kommentar:\n{kommentar}"
        return _skapa(
            behorighet.chefer_for_vardcentral(vc.pk),
            typ=typ,
            nyckel=nyckel,
            rubrik=f"Självskattningen för {vc.namn} har återsänts ({s.omgang.namn})",
            text=text,
            lank=lank,
        )
    if typ == Notis.Typ.GODKAND:
        return _skapa(
            behorighet.chefer_for_vardcentral(vc.pk),
            typ=typ,
            nyckel=nyckel,
            rubrik=f"Självskattningen för {vc.namn} är godkänd ({s.omgang.namn})",
            text=(
                f"Planeraren har godkänt självskattningen för omgång {s.omgang.namn}. "
                "Gaprapporten och färdplanen bygger nu på den."
            ),
            lank=lank,
        )
    raise ValueError(f"Okänd händelse: {typ}")


def paminnelser_create(*, idag: datetime.date) -> int:
    """Deadline reminders 14 and 3 days ahead to units not yet submitted. Returns notices made.

    A reminder is keyed by round, unit and step, so each is sent once; a unit first reminded
    inside three days gets only the three-day reminder. Three queries plus two per unit reminded.
    """
    antal = 0
    omgangar = Omgang.objects.filter(
        status=Omgang.Status.OPPEN,
        sista_dag__gte=idag,
        sista_dag__lte=idag + datetime.timedelta(days=max(PAMINNELSE_DAGAR)),
    ).select_related("region")
    for omgang in omgangar:
        kvar = (omgang.sista_dag - idag).days
        steg = min(d for d in PAMINNELSE_DAGAR if kvar <= d)
        for s in Sjalvskattning.objects.filter(
            omgang=omgang, status__in=Sjalvskattning.EJ_INSKICKADE
        ).select_related("vardcentral"):
            vc = s.vardcentral
            dagar = "i dag" if kvar == 0 else ("i morgon" if kvar == 1 else f"om {kvar} dagar")
            antal += len(
                _skapa(
                    behorighet.chefer_for_vardcentral(vc.pk),
                    typ=Notis.Typ.PAMINNELSE,
                    nyckel=f"o{omgang.pk}-v{vc.pk}-{steg}",
                    rubrik=f"Sista dag för självskattningen är {_datum(omgang.sista_dag)}",
                    text=(
                        f"Självskattningen för {vc.namn} i omgång {omgang.namn} ska skickas in "
                        f"senast {_datum(omgang.sista_dag)}, {dagar}. Den är ännu inte inskickad "
                        f"(status: {s.get_status_display().lower()})."
                    ),
                    lank=reverse(
                        "vardcentraler:sjalvskattning_detail", args=[omgang.pk, vc.hsa_id]
                    ),
                )
            )
    return antal


def _forsenade(user, idag: datetime.date) -> QuerySet[Atgard]:
    return Atgard.objects.filter(
        vardcentral__in=behorighet.vardcentraler_for(user).values("pk"),
        status__in=Atgard.OPPNA,
        klar_senast__lt=idag,
    )


def veckosammanfattningar_create(*, idag: datetime.date) -> int:
    """The weekly digest of overdue actions, once per ISO week, to those who have not opted out.

    Planners hear about their region's overdue actions, verksamhetschefer about their units'.
    Nobody gets an empty digest. Two queries plus two per recipient.
    """
    ar, vecka, _ = idag.isocalendar()
    avstangda = set(
        Installning.objects.filter(veckosammanfattning=False).values_list("anvandare_id", flat=True)
    )
    antal = 0
    for user in behorighet.anvandare_med_enheter():
        if user.pk in avstangda:
            continue
        user._profil_cache = user.profil
        forsenade = _forsenade(user, idag)
        n = forsenade.count()
        if not n:
            continue
        aldsta = forsenade.order_by("klar_senast").values_list("klar_senast", flat=True).first()
        antal += len(
            _skapa(
                type(user).objects.filter(pk=user.pk),
                typ=Notis.Typ.VECKOSAMMANFATTNING,
                nyckel=f"{ar}-V{vecka:02d}",
                rubrik=f"{n} försenade åtgärder (vecka {vecka})",
                text=(
                    f"{n} åtgärder i färdplanerna har passerat sitt slutdatum utan att vara klara; "
                    f"den äldsta skulle vara klar {_datum(aldsta)}. Du kan stänga av "
                    "veckosammanfattningen under Notiser."
                ),
                lank=reverse("uppfoljning:uppfoljning_start"),
            )
        )
    return antal


def notiser_mark_read(*, anvandare) -> int:
    return Notis.objects.filter(mottagare=anvandare, last__isnull=True).update(last=timezone.now())


def installning_update(*, anvandare, veckosammanfattning: bool) -> Installning:
    installning, _ = Installning.objects.update_or_create(
        anvandare=anvandare, defaults={"veckosammanfattning": veckosammanfattning}
    )
    return installning
