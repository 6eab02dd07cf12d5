"""Färdplaner rendered ahead: stored under a fingerprint of what they were built from.

The worker renders a self-assessment's färdplan after it is submitted, approved, returned or
reopened, after its actions change and after the round's requirements change
(``uppfoljning.services.fardplan_forbered``), and stores it with ``default_storage`` (MEDIA_ROOT,
or an object store through ``STORAGES``) and a ``LagradFardplan`` row. The download and the
region's ZIP serve the stored file while it is current and render on the spot otherwise.

Current means: ``fardplan_nyckel`` of today's data equals the stored key. The key covers
everything the PDF prints:

- the self-assessment's status and its stamps (submitted, approved, last change) and who
  approved it (its history);
- the unit's answers in every round (earlier rounds print as history) and its actions in
  every round: count, latest change, sum of answer versions;
- the round's counted self-assessments (the region's medians): how many, which, the latest
  submission. Answers of a counted self-assessment are locked, so they change only after a
  return or reopen, which the count and the next submission show;
- the region's rounds, the round's targets and requirements (their values, a few dozen rows),
  the unit's, region's and målbild version's printed fields, the region's practice examples;
- today's date (printed on every page; an action past its due date prints as late);
- the code: templates, print CSS, fonts, the Python that builds and renders the report, the
  målbild data files and the renderer's version (``kod_version``, hashed once per process).

Three queries, four for an approved self-assessment, whatever the size of the region.
"""

import hashlib
import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lib.kodhash import filer_hash
from malbild.models import Exempel
from vardcentraler.models import Atgard, Krav, Malniva, Omgang, Sjalvskattning, Svar

from . import rapportdata
from .models import LagradFardplan
from .selectors.common import RAKNADE

logger = logging.getLogger(__name__)

# What ``fardplan_nyckel`` and the rendering read without a query: load them with the row.
RELATERADE = (
    "vardcentral__region",
    "vardcentral__kommun",
    "omgang__region",
    "omgang__malbild_version",
)
BASE_DIR = Path(settings.BASE_DIR)
# What the färdplan is made of besides the data. A change to any of these files (a deploy)
# makes every stored färdplan stale.
KOD_FILER = [
    "uppfoljning/*.py",
    "uppfoljning/selectors/*.py",
    "uppfoljning/templatetags/*.py",
    "malbild/templatetags/*.py",
    "malbild/selectors.py",
    "malbild/versioner.py",
    "malbild/data/*.yaml",
    "lib/*.py",
    "templates/uppfoljning/pdf/*.html",
    "templates/malbild/pdf/*.html",
    "static/css/print.css",
    "static/fonts/*",
]


@cache
def kod_version() -> str:
    """Hash of the code, templates, CSS, fonts and renderer versions (once per process)."""
    import pydyf
    import weasyprint

    return filer_hash(
        KOD_FILER, grund=f"weasyprint {weasyprint.__version__} pydyf {pydyf.__version__}"
    )


def fardplan_nyckel(sjalvskattning: Sjalvskattning) -> str:
    """The fingerprint of everything ``sjalvskattning``'s färdplan prints today.

    Expects ``vardcentral__region``, ``vardcentral__kommun``, ``omgang__region`` and
    ``omgang__malbild_version`` loaded (as the download view and the ZIP do). Three queries,
    four for an approved self-assessment: one row of aggregates, the region's rounds, the
    round's targets and requirements (one UNION), and who approved it.
    """
    sk = sjalvskattning
    vc, omgang = sk.vardcentral, sk.omgang
    version = omgang.malbild_version
    with connection.cursor() as cursor:
        cursor.execute(
            _AGGREGAT_SQL, [*[vc.pk] * 4, omgang.pk, *RAKNADE, vc.region_id, vc.region_id, sk.pk]
        )
        rad = cursor.fetchone()
        if rad is None:  # deleted meanwhile: a key nothing is stored under
            return hashlib.sha256(f"borttagen {sk.pk}".encode()).hexdigest()
        cursor.execute(_OMGANGAR_SQL, [omgang.region_id])
        omgangar = cursor.fetchall()
        cursor.execute(_MAL_OCH_KRAV_SQL, [omgang.pk, omgang.pk])
        mal_och_krav = cursor.fetchall()
    godkand_av = rapportdata.godkand_av(sk) if rad[0] == Sjalvskattning.Status.GODKAND else None
    underlag = (
        kod_version(),
        timezone.localdate(),
        sk.pk,
        rad,
        godkand_av,
        (vc.pk, vc.hsa_id, vc.namn, vc.driftsform, vc.kommun.namn, vc.region_id),
        (omgang.pk, omgang.region.namn, version.pk, version.slug, version.nummer),
        (version.utgivare, version.artikelnummer, version.titel, str(version.publicerad)),
        (version.publicerad_text, sorted(version.skalnamn.items())),
        omgangar,
        mal_och_krav,
    )
    return hashlib.sha256(repr(underlag).encode()).hexdigest()


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Plain SQL, the same on SQLite and PostgreSQL: built once, no ORM compilation per download
# (the same query through the ORM's expressions cost ≈ 15 ms of Python per key).
_SVAR, _SK, _ATGARD = _t(Svar), _t(Sjalvskattning), _t(Atgard)
_EXEMPEL, _LANK = _t(Exempel), _t(Exempel.kriterier.through)
_UNIT_SK = f"SELECT id FROM {_SK} WHERE vardcentral_id = %s"  # noqa: S608 (table names)
_SYNLIGA = f"SELECT id FROM {_EXEMPEL} WHERE ursprung = 'kalla' OR region_id = %s"  # noqa: S608
_AGGREGAT_SQL = f"""
SELECT sk.status, sk.inskickad, sk.godkand, sk.senast_andrad,
  (SELECT COUNT(*) FROM {_SVAR} WHERE sjalvskattning_id IN ({_UNIT_SK})),
  (SELECT MAX(andrad) FROM {_SVAR} WHERE sjalvskattning_id IN ({_UNIT_SK})),
  (SELECT SUM(version) + 7 * SUM(CASE WHEN utkast THEN 1 ELSE 0 END) FROM {_SVAR}
     WHERE sjalvskattning_id IN ({_UNIT_SK})),
  (SELECT COUNT(*) || '|' || COALESCE(CAST(MAX(andrad) AS TEXT), '') || '|' || COALESCE(MAX(id), 0)
     FROM {_ATGARD} WHERE vardcentral_id = %s),
  (SELECT COUNT(*) || '|' || COALESCE(SUM(id), 0) || '|' || COALESCE(CAST(MAX(inskickad) AS TEXT), '')
     FROM {_SK} WHERE omgang_id = %s AND status IN (%s, %s)),
  (SELECT COUNT(*) || '|' || COALESCE(MAX(id), 0) || '|' || COALESCE(CAST(MAX(skapad) AS TEXT), '')
     FROM {_EXEMPEL} WHERE id IN ({_SYNLIGA})),
  (SELECT COUNT(*) || '|' || COALESCE(MAX(id), 0) FROM {_LANK}
     WHERE exempel_id IN ({_SYNLIGA}))
FROM {_SK} sk WHERE sk.id = %s
"""  # noqa: S608
_OMGANGAR_SQL = (
    "SELECT id, namn, period_start, period_slut, status, malbild_version_id "  # noqa: S608
    f"FROM {_t(Omgang)} WHERE region_id = %s ORDER BY id"
)
_MAL_OCH_KRAV_SQL = (
    f"SELECT kriterium_id, CAST(niva AS TEXT), '', '', '' FROM {_t(Malniva)} "  # noqa: S608
    "WHERE omgang_id = %s "
    "UNION ALL "
    f"SELECT kriterium_id, kravniva, formulering, dokument, avsnitt FROM {_t(Krav)} "
    "WHERE omgang_id = %s ORDER BY 1, 2"
)


# --- Reading and storing ---------------------------------------------------------------


def fardplan_lagrad_get(sjalvskattning: Sjalvskattning, nyckel: str) -> bytes | None:
    """The stored PDF when it was built from data with this ``nyckel``; else None. One query."""
    namn = (
        LagradFardplan.objects.filter(sjalvskattning_id=sjalvskattning.pk, nyckel=nyckel)
        .values_list("fil", flat=True)
        .first()
    )
    if not namn:
        return None
    try:
        with default_storage.open(namn, "rb") as fil:
            return fil.read()
    except FileNotFoundError:  # replaced (and deleted) between the query and the read
        return None


def fardplan_pdf_aktuell(sjalvskattning: Sjalvskattning, *, lagra: bool = False) -> bytes:
    """The färdplan as it reads today: the stored file when current, else rendered now
    (and stored when ``lagra``, as the worker's ZIP does)."""
    from . import pdf

    nyckel = fardplan_nyckel(sjalvskattning)
    lagrad = fardplan_lagrad_get(sjalvskattning, nyckel)
    if lagrad is not None:
        return lagrad
    innehall = pdf.fardplan_pdf(sjalvskattning)
    if lagra and fardplan_nyckel(sjalvskattning) == nyckel:
        _spara(sjalvskattning, nyckel, innehall)
    return innehall


def fardplan_lagra(sjalvskattning: Sjalvskattning) -> bool:
    """Render and store the färdplan unless the stored one is current. Returns whether it
    stored a new file.

    The key is computed before and after rendering; when the data changed meanwhile, nothing
    is stored (the change enqueued its own rendering, or the download renders on the spot).
    """
    from . import pdf

    nyckel = fardplan_nyckel(sjalvskattning)
    if LagradFardplan.objects.filter(sjalvskattning_id=sjalvskattning.pk, nyckel=nyckel).exists():
        return False
    innehall = pdf.fardplan_pdf(sjalvskattning)
    if fardplan_nyckel(sjalvskattning) != nyckel:
        return False
    return _spara(sjalvskattning, nyckel, innehall)


def _spara(sjalvskattning: Sjalvskattning, nyckel: str, innehall: bytes) -> bool:
    """Write the file, then point the row at it (row lock); the replaced file is deleted after
    commit. Two workers storing the same färdplan at once: the second keeps the first's."""
    vc = sjalvskattning.vardcentral
    namn = default_storage.save(
        f"fardplaner-lager/fardplan-{sjalvskattning.pk}-{vc.hsa_id}-{nyckel[:16]}.pdf",
        ContentFile(innehall),
    )
    nu = timezone.now()
    try:
        with transaction.atomic():
            rad = (
                LagradFardplan.objects.select_for_update()
                .filter(sjalvskattning_id=sjalvskattning.pk)
                .first()
            )
            if rad is None:
                LagradFardplan.objects.create(
                    sjalvskattning_id=sjalvskattning.pk, nyckel=nyckel, fil=namn, skapad=nu
                )
                return True
            if rad.nyckel == nyckel:
                bort = namn
            else:
                bort = rad.fil.name
                LagradFardplan.objects.filter(pk=rad.pk).update(nyckel=nyckel, fil=namn, skapad=nu)
            transaction.on_commit(lambda: default_storage.delete(bort))
            return bort != namn
    except IntegrityError:  # another worker created the row first: keep theirs
        default_storage.delete(namn)
        return False


def fardplaner_lagra_omgang(omgang_id: int) -> int:
    """Store the current färdplan of every self-assessment of the round, approved ones first.
    Returns how many were rendered."""
    S = Sjalvskattning.Status
    ordning = {S.GODKAND: 0, S.INSKICKAD: 1}
    sjalvskattningar = sorted(
        Sjalvskattning.objects.filter(omgang_id=omgang_id).select_related(*RELATERADE),
        key=lambda sk: (ordning.get(sk.status, 2), sk.pk),
    )
    return sum(fardplan_lagra(sk) for sk in sjalvskattningar)
