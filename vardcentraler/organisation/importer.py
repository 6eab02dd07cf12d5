"""Import of a region's list of vårdcentraler from CSV or XLSX.

Two steps: ``import_preview`` reads and validates every row without writing;
``import_apply`` writes all rows in one transaction, or none. Re-importing the
same list updates units by HSA-id instead of duplicating them.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Kommun, Region, Vardcentral, validate_hsa_id

KOLUMNER = {
    "hsa-id": "hsa_id",
    "hsa_id": "hsa_id",
    "namn": "namn",
    "kommunkod": "kommunkod",
    "kommun": "kommun",
    "driftsform": "driftsform",
    "listade patienter": "listade_patienter",
    "listade_patienter": "listade_patienter",
    "aktiv": "aktiv",
}
OBLIGATORISKA = ("hsa_id", "namn", "driftsform", "listade_patienter")
MAX_RADER = 2000
MAX_BYTES = 2 * 1024 * 1024
JA = {"ja", "j", "1", "true", "x", "aktiv"}
NEJ = {"nej", "n", "0", "false", "inaktiv"}


class ImportFilFel(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class ImportRad:
    radnummer: int
    varden: dict
    fel: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    befintlig: bool = False


@dataclass
class ImportForhandsvisning:
    rader: list[ImportRad]

    @property
    def antal_fel(self) -> int:
        return sum(1 for rad in self.rader if rad.fel)

    @property
    def ok(self) -> bool:
        return bool(self.rader) and self.antal_fel == 0

    @property
    def antal_nya(self) -> int:
        return sum(1 for rad in self.rader if not rad.befintlig)

    @property
    def antal_uppdaterade(self) -> int:
        return sum(1 for rad in self.rader if rad.befintlig)

    def giltiga_data(self) -> list[dict]:
        return [rad.data for rad in self.rader]


def _read_rows(filnamn: str, innehall: bytes) -> list[dict]:
    if len(innehall) > MAX_BYTES:
        raise ImportFilFel("Filen är för stor (högst 2 MB).")
    namn = filnamn.lower()
    if namn.endswith(".xlsx"):
        return _read_xlsx(innehall)
    if namn.endswith(".csv"):
        return _read_csv(innehall)
    raise ImportFilFel("Filen måste vara CSV (.csv) eller Excel (.xlsx).")


def _read_csv(innehall: bytes) -> list[dict]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = innehall.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise ImportFilFel("Filens teckenkodning kunde inte läsas. Spara den som UTF-8.")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    reader = csv.reader(io.StringIO(text), dialect)
    return _rows_from_table(list(reader))


def _read_xlsx(innehall: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(innehall), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFilFel("Excelfilen kunde inte läsas. Är det en .xlsx-fil?") from exc
    sheet = workbook.worksheets[0]
    table = [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return _rows_from_table(table)


def _rows_from_table(table: list[list[str]]) -> list[dict]:
    table = [row for row in table if any(str(cell).strip() for cell in row)]
    if not table:
        raise ImportFilFel("Filen är tom.")
    rubriker = [KOLUMNER.get(str(cell).strip().lower()) for cell in table[0]]
    saknas = [k for k in OBLIGATORISKA if k not in rubriker]
    if "kommunkod" not in rubriker and "kommun" not in rubriker:
        saknas.append("kommunkod")
    if saknas:
        raise ImportFilFel(
            "Kolumner saknas: "
            + ", ".join(saknas)
            + ". Första raden ska ha rubrikerna HSA-id, Namn, Kommunkod, Driftsform, "
            "Listade patienter och (frivilligt) Aktiv."
        )
    if len(table) - 1 > MAX_RADER:
        raise ImportFilFel(f"Filen har fler än {MAX_RADER} rader.")
    rader = []
    for row in table[1:]:
        rader.append(
            {
                nyckel: str(row[i]).strip() if i < len(row) else ""
                for i, nyckel in enumerate(rubriker)
                if nyckel
            }
        )
    return rader


def import_preview(*, region: Region, filnamn: str, innehall: bytes) -> ImportForhandsvisning:
    """Validate every row against the region; writes nothing. Five queries in all."""
    rader = _read_rows(filnamn, innehall)
    kommuner = {k.kod: k for k in Kommun.objects.filter(region=region)}
    kommuner_namn = {k.namn.lower(): k for k in kommuner.values()}
    hsa_ids = [r.get("hsa_id", "") for r in rader]
    befintliga = {
        vardcentral.hsa_id: vardcentral.region_id
        for vardcentral in Vardcentral.objects.filter(hsa_id__in=hsa_ids).only(
            "hsa_id", "region_id"
        )
    }
    sedda: dict[str, int] = {}
    resultat = []
    for nummer, varden in enumerate(rader, start=2):
        rad = ImportRad(radnummer=nummer, varden=varden)
        hsa_id = varden.get("hsa_id", "")
        try:
            validate_hsa_id(hsa_id)
        except ValidationError as exc:
            rad.fel.append(exc.messages[0])
        if hsa_id in sedda:
            rad.fel.append(f"HSA-id {hsa_id} finns redan på rad {sedda[hsa_id]}.")
        sedda.setdefault(hsa_id, nummer)
        if hsa_id in befintliga:
            if befintliga[hsa_id] != region.pk:
                rad.fel.append("HSA-id:t tillhör en vårdcentral i en annan region.")
            rad.befintlig = True

        namn = varden.get("namn", "")
        if not namn:
            rad.fel.append("Namn saknas.")
        elif len(namn) > 200:
            rad.fel.append("Namnet är längre än 200 tecken.")

        kommun = None
        kod = varden.get("kommunkod", "")
        if kod:
            kod = kod.zfill(4) if kod.isdigit() else kod
            kommun = kommuner.get(kod)
            if kommun is None:
                rad.fel.append(f"Kommunkoden {kod} finns inte i {region}.")
        elif varden.get("kommun"):
            kommun = kommuner_namn.get(varden["kommun"].lower())
            if kommun is None:
                rad.fel.append(f"Kommunen {varden['kommun']} finns inte i {region}.")
        else:
            rad.fel.append("Kommunkod saknas.")

        driftsform = varden.get("driftsform", "").lower()
        if driftsform not in Vardcentral.Driftsform.values:
            rad.fel.append("Driftsform ska vara ”regional” eller ”privat”.")

        listade_text = varden.get("listade_patienter", "").replace(" ", "").replace("\xa0", "")
        listade = None
        try:
            listade = int(float(listade_text)) if listade_text else None
        except ValueError:
            pass
        if listade is None or listade < 0 or listade > 200_000:
            rad.fel.append("Listade patienter ska vara ett heltal mellan 0 och 200 000.")

        aktiv_text = varden.get("aktiv", "ja").lower() or "ja"
        if aktiv_text not in JA | NEJ:
            rad.fel.append("Aktiv ska vara ”ja” eller ”nej”.")

        if not rad.fel:
            rad.data = {
                "hsa_id": hsa_id,
                "namn": namn,
                "kommun_id": kommun.pk,
                "driftsform": driftsform,
                "listade_patienter": listade,
                "aktiv": aktiv_text in JA,
            }
        resultat.append(rad)
    return ImportForhandsvisning(rader=resultat)


@transaction.atomic
def import_apply(*, region: Region, filnamn: str, innehall: bytes) -> tuple[int, int]:
    """Validate again and write every row, or raise and write nothing. Returns (new, updated)."""
    forhandsvisning = import_preview(region=region, filnamn=filnamn, innehall=innehall)
    if not forhandsvisning.ok:
        raise ImportFilFel(f"{forhandsvisning.antal_fel} rader har fel. Inget har importerats.")
    nya = uppdaterade = 0
    for data in forhandsvisning.giltiga_data():
        hsa_id = data.pop("hsa_id")
        _, skapad = Vardcentral.objects.update_or_create(
            hsa_id=hsa_id, region=region, defaults=data
        )
        nya += skapad
        uppdaterade += not skapad
    return nya, uppdaterade
