"""The history of a self-assessment: every changed field of it, its answers and its actions."""

from dataclasses import dataclass

from lib.historik import visat_namn
from malbild.models import Kriterium

from ..models import Atgard, Sjalvskattning, Svar


@dataclass
class Handelse:
    """One changed field in the history of an assessment."""

    tid: object
    vem: str
    objekt: str
    falt: str
    fore: str
    efter: str
    orsak: str = ""


def _svar_text(rec) -> str:
    if not rec.typ:
        return "Ej besvarat"
    return f"Nivå {rec.niva}" if rec.typ == Svar.Typ.NIVA else Svar.Typ(rec.typ).label


def _diffar(poster, *, objekt, falt: dict[str, str], display) -> list[Handelse]:
    """Field changes between consecutive history records of each object (no queries)."""
    per_objekt: dict[int, list] = {}
    for post in poster:
        per_objekt.setdefault(post.id, []).append(post)
    handelser = []
    for lista in per_objekt.values():
        lista.sort(key=lambda p: (p.history_date, p.history_id))
        for fore, efter in zip([None, *lista], lista, strict=False):
            if fore is None:
                andrade = [f for f in falt if display(efter, f) not in ("", "–")]
            else:
                andrade = [
                    c.field for c in efter.diff_against(fore, included_fields=list(falt)).changes
                ]
            if "niva" in andrade and "typ" in andrade:
                andrade.remove("niva")  # one "Svar" row: the type and level read as one value
            for f in andrade:
                handelser.append(
                    Handelse(
                        tid=efter.history_date,
                        vem=visat_namn(efter),
                        objekt=objekt(efter),
                        falt=falt[f],
                        fore="–" if fore is None else display(fore, f),
                        efter=display(efter, f),
                        orsak=efter.history_change_reason or "",
                    )
                )
    return handelser


def sjalvskattning_history(sjalvskattning: Sjalvskattning) -> list[Handelse]:
    """Who changed what, when, old → new: answers, actions and status. Four queries."""
    svar_poster = Svar.history.filter(sjalvskattning_id=sjalvskattning.pk).select_related(
        "history_user", "kriterium"
    )

    def svar_display(rec, f):
        if f in ("typ", "niva"):
            return _svar_text(rec)
        return getattr(rec, f) or "–"

    handelser = _diffar(
        svar_poster,
        objekt=lambda r: f"Kriterium {r.kriterium.kod}",
        falt={"typ": "Svar", "niva": "Svar", "motivering": "Motivering", "underlag": "Underlag"},
        display=svar_display,
    )

    status_poster = Sjalvskattning.history.filter(id=sjalvskattning.pk).select_related(
        "history_user"
    )

    def status_display(rec, f):
        if f == "status":
            return Sjalvskattning.Status(rec.status).label
        return rec.kommentar or "–"

    handelser += _diffar(
        status_poster,
        objekt=lambda r: "Självskattningen",
        falt={"status": "Status", "kommentar": "Kommentar"},
        display=status_display,
    )

    version_id = sjalvskattning.omgang.malbild_version_id
    ids = set()
    for pk, ersatter in Kriterium.objects.for_version(version_id).values_list("pk", "ersatter_id"):
        ids |= {pk, ersatter} - {None}
    atgard_poster = Atgard.history.filter(
        vardcentral_id=sjalvskattning.vardcentral_id, kriterium_id__in=ids
    ).select_related("history_user", "kriterium")
    atgard_falt = {
        "beskrivning": "Åtgärd",
        "ansvarig": "Ansvarig",
        "start": "Start",
        "klar_senast": "Klar senast",
        "status": "Status",
        "mal_niva": "Ska leda till nivå",
    }

    def atgard_display(rec, f):
        if f == "status":
            return Atgard.Status(rec.status).label
        if f == "mal_niva":
            return f"Nivå {rec.mal_niva}"
        varde = getattr(rec, f)
        return varde.isoformat() if hasattr(varde, "isoformat") else str(varde)

    handelser += _diffar(
        atgard_poster,
        objekt=lambda r: f"Åtgärd för {r.kriterium.kod}: {r.beskrivning[:40]}",
        falt=atgard_falt,
        display=atgard_display,
    )
    handelser.sort(key=lambda h: h.tid, reverse=True)
    return handelser
