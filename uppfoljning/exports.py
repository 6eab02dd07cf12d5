"""CSV and XLSX exports for regional BI tools: one row per vårdcentral × criterion × round.

A unit without an answer to a criterion in a round still gets its row (answer
type "Ej besvarat"), so the grid is complete. Five queries whatever the size:
rounds, criteria, units, answers and targets. CSV streams
row by row; XLSX is written by openpyxl's write-only mode to a temporary file that
is then streamed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lib.tabellceller import csv_cell, xlsx_cell
from malbild.versioner import katalog_get
from uppfoljning import gapregel
from uppfoljning.selectors.common import omgangar_for_region
from vardcentraler.models import Malniva, Region, Sjalvskattning, Svar, Vardcentral

RUBRIKER = [
    "Regionkod",
    "Region",
    "Kommunkod",
    "Kommun",
    "HSA-id",
    "Vårdcentral",
    "Driftsform",
    "Listade patienter",
    "Omgång",
    "Tema",
    "Kriteriekod",
    "Kriterium",
    "Svarstyp",
    "Nivå",
    "Målnivå",
    "Gap",
    "Status",
]
SVARSTYP = dict(Svar.Typ.choices)  # the labels have one source: Svar.Typ
STATUS = dict(Sjalvskattning.Status.choices)
DRIFTSFORM = dict(Vardcentral.Driftsform.choices)


def export_rader(
    *, region: Region, vardcentraler: QuerySet[Vardcentral], omgang_id: int | None = None
) -> Iterator[list]:
    """Rows (without the header) for the given units of the region, every round oldest
    first, or only round ``omgang_id`` when given (the round chosen on the page).

    Five queries in all, whatever the number of units.
    """
    omgangar = omgangar_for_region(region)
    if omgang_id is not None:
        omgangar = [o for o in omgangar if o.pk == omgang_id] or omgangar
    katalog = katalog_get()
    enheter = list(
        vardcentraler.filter(region=region).select_related("kommun").order_by("namn", "pk")
    )
    enhet_ids = vardcentraler.filter(region=region).values("pk")
    svar = {}
    for omgang_id, vardcentral_id, kriterium_id, typ, niva, status in (
        Svar.objects.besvarade()
        .filter(sjalvskattning__omgang__region=region, sjalvskattning__vardcentral__in=enhet_ids)
        .values_list(
            "sjalvskattning__omgang_id",
            "sjalvskattning__vardcentral_id",
            "kriterium_id",
            "typ",
            "niva",
            "sjalvskattning__status",
        )
    ):
        svar[(omgang_id, vardcentral_id, kriterium_id)] = (typ, niva, status)
    malnivaer = {
        (o, k): n
        for o, k, n in Malniva.objects.filter(omgang__region=region).values_list(
            "omgang_id", "kriterium_id", "niva"
        )
    }
    for omgang in omgangar:
        kriterier = katalog.for_version(omgang.malbild_version_id)
        for vardcentral in enheter:
            for k in kriterier:
                typ, niva, status = svar.get((omgang.pk, vardcentral.pk, k.pk), (None, None, None))
                malniva = malnivaer.get((omgang.pk, k.pk))
                gap = gapregel.gap(typ=typ, niva=niva, malniva=malniva)
                yield [
                    region.kod,
                    region.namn,
                    vardcentral.kommun.kod,
                    vardcentral.kommun.namn,
                    vardcentral.hsa_id,
                    vardcentral.namn,
                    DRIFTSFORM.get(vardcentral.driftsform, vardcentral.driftsform),
                    vardcentral.listade_patienter,
                    omgang.namn,
                    f"{k.tema.ordning}. {k.tema.kortnamn}",
                    k.kod,
                    k.text,
                    SVARSTYP.get(typ, "Ej besvarat"),
                    niva,
                    malniva,
                    gap,
                    STATUS.get(status, "Ej påbörjad"),
                ]


class _Eko:
    def write(self, value: str) -> str:
        return value


def csv_rader(rader: Iterator[list], rubriker: list[str] = RUBRIKER) -> Iterator[str]:
    """UTF-8 with BOM (Excel opens å/ä/ö right), semicolon separated, Swedish header.

    Text that a spreadsheet would run as a formula is neutralised (``lib.tabellceller``)."""
    writer = csv.writer(_Eko(), delimiter=";")
    yield "\ufeff" + writer.writerow(rubriker)
    for rad in rader:
        yield writer.writerow([csv_cell(v) for v in rad])


def tabell_csv_response(
    rader: Iterator[list], *, filnamn: str, rubriker: list[str] = RUBRIKER
) -> StreamingHttpResponse:
    """Any table (rows without header) as a streamed CSV download."""
    response = StreamingHttpResponse(
        csv_rader(rader, rubriker),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filnamn}.csv"'
    return response


BREDDER = [10, 22, 10, 18, 24, 36, 12, 10, 10, 36, 10, 60, 14, 6, 8, 6, 12]


def xlsx_write(
    rader: Iterator[list],
    fil,
    *,
    rubriker: list[str] = RUBRIKER,
    bredder: list[int] = BREDDER,
    blad: str = "Målbild",
) -> int:
    """Write the workbook (frozen header, autofilter) to ``fil``; returns the number of data rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(blad)
    ws.freeze_panes = "A2"
    for i, bredd in enumerate(bredder):
        ws.column_dimensions[get_column_letter(i + 1)].width = bredd
    fet = Font(bold=True)
    rubrik = []
    for text in rubriker:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = fet
        rubrik.append(cell)
    ws.append(rubrik)
    antal = 0
    for rad in rader:
        ws.append([xlsx_cell(ws, v) for v in rad])
        antal += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(rubriker))}{antal + 1}"
    wb.save(fil)
    return antal


def tabell_xlsx_response(
    rader: Iterator[list],
    *,
    filnamn: str,
    rubriker: list[str] = RUBRIKER,
    bredder: list[int] = BREDDER,
    blad: str = "Målbild",
) -> FileResponse:
    """Any table (rows without header) as an XLSX download."""
    fil = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    xlsx_write(rader, fil, rubriker=rubriker, bredder=bredder, blad=blad)
    fil.seek(0)
    return FileResponse(
        fil,
        as_attachment=True,
        filename=f"{filnamn}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


FORMAT = ("csv", "xlsx")  # every export is offered in both (``uppfoljning.urls._export``)


def tabell_response(
    format: str,
    rader: Iterator[list],
    *,
    filnamn: str,
    rubriker: list[str] = RUBRIKER,
    bredder: list[int] = BREDDER,
    blad: str = "Målbild",
) -> StreamingHttpResponse | FileResponse:
    """Any table as a download in ``format`` (one of ``FORMAT``); the column widths and the
    sheet's name are for XLSX only."""
    if format == "csv":
        return tabell_csv_response(rader, filnamn=filnamn, rubriker=rubriker)
    return tabell_xlsx_response(
        rader, filnamn=filnamn, rubriker=rubriker, bredder=bredder, blad=blad
    )


def region_filnamn(prefix: str, region) -> str:
    """A region's download name without its ending: ``<prefix>-<kod>-<namn in lower case>``."""
    return f"{prefix}-{region.kod}-{region.namn.lower().replace(' ', '-')}"
