"""Import of a region's list of vårdcentraler from CSV or XLSX.

Two steps: ``import_preview`` reads and validates every row without writing;
``import_apply`` writes all rows in one transaction, or none. Re-importing the
same list updates units by HSA-id instead of duplicating them.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from lib.forms import har_kontrolltecken

from ..models import HSA_ID_RE, Kommun, Region, Vardcentral, max_length, validate_hsa_id

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
MAX_KOLUMNER = 50  # columns read, whatever the sheet claims
MAX_FALT = 1000  # characters per cell; the longest column (namn) takes 200
NAMN_MAX = max_length(Vardcentral, "namn")
HELTAL_RE = re.compile(r"[0-9]{1,9}(?:[.,]0*)?")
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


def _decode(innehall: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with BOM), else cp1252."""
    if innehall.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return innehall.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFilFel("Filen kunde inte läsas som UTF-16. Spara den som UTF-8.") from None
    if b"\x00" in innehall[:4096]:
        # UTF-16 without a BOM (or a binary file): every other byte is NUL.
        raise ImportFilFel(
            "Filens teckenkodning kunde inte läsas (UTF-16 utan BOM eller inte en textfil). "
            "Spara den som CSV UTF-8."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return innehall.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFilFel("Filens teckenkodning kunde inte läsas. Spara den som UTF-8.")


def _avgransare(forsta_raden: str) -> str:
    """The delimiter is the one of ; , TAB that occurs most in the header line (; on a tie).

    Only the delimiter is guessed: quoting is the standard (Excel) dialect, so doubled quotes
    inside a quoted field stay one quote whatever the header looks like.
    """
    return max(";,\t", key=lambda tecken: (forsta_raden.count(tecken), tecken == ";"))


def _read_csv(innehall: bytes) -> list[dict]:
    text = _decode(innehall)
    if "\x00" in text:
        raise ImportFilFel(
            "Filen innehåller NUL-tecken och kan inte läsas. Spara den som CSV UTF-8."
        )
    reader = csv.reader(
        io.StringIO(text, newline=""), csv.excel, delimiter=_avgransare(text.split("\n", 1)[0])
    )
    table = []
    try:
        for row in reader:
            table.append(row)
            if len(table) > MAX_RADER + 1:  # the header, the limit, and one more to tell
                break
    except csv.Error:
        raise ImportFilFel(
            f"Rad {reader.line_num} kunde inte läsas: ett fält är för långt eller ett "
            "citattecken saknar sin avslutning."
        ) from None
    return _rows_from_table(table)


def _read_xlsx(innehall: bytes) -> list[dict]:
    """Streams the first sheet: only the header's width, at most the row limit + 1 rows.

    A file's own claim about its size (the sheet "dimension") is ignored
    (``reset_dimensions``): a small file may claim 16 384 columns × a million rows.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(innehall), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFilFel("Excelfilen kunde inte läsas. Är det en .xlsx-fil?") from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rader = sheet.iter_rows(values_only=True)
        rubrik = next(rader, None) or ()
        bredd = 0
        for i, cell in enumerate(rubrik[:MAX_KOLUMNER]):
            if cell is not None and str(cell).strip():
                bredd = i + 1
        table = [[_xlsx_text(c) for c in rubrik[:bredd]]]
        for row in sheet.iter_rows(min_row=2, max_col=max(bredd, 1), values_only=True):
            table.append([_xlsx_text(c) for c in row[:bredd]])
            if len(table) > MAX_RADER + 1:
                break
    except ImportFilFel:
        raise
    except Exception as exc:
        raise ImportFilFel("Excelfilen kunde inte läsas. Är det en .xlsx-fil?") from exc
    finally:
        workbook.close()
    return _rows_from_table(table)


def _xlsx_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _rows_from_table(table: list[list[str]]) -> list[dict]:
    table = [row for row in table if any(str(cell).strip() for cell in row)]
    if not table:
        raise ImportFilFel("Filen är tom.")
    rubriker = [KOLUMNER.get(str(cell).strip().lower()) for cell in table[0][:MAX_KOLUMNER]]
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
    for nummer, row in enumerate(table[1:], start=2):
        rad = {}
        for i, nyckel in enumerate(rubriker):
            if not nyckel:
                continue
            varde = str(row[i]).strip() if i < len(row) else ""
            if len(varde) > MAX_FALT:
                raise ImportFilFel(
                    f"Rad {nummer} har ett fält med fler än {MAX_FALT} tecken. "
                    "Kontrollera att kolumnerna är rätt avgränsade."
                )
            rad[nyckel] = varde
        rader.append(rad)
    return rader


def _heltal(text: str) -> int | None:
    """A whole number as people type it ("8 500", "8500", "8500,0"); never "inf" or "nan"."""
    text = text.replace(" ", "").replace("\xa0", "")
    if not HELTAL_RE.fullmatch(text):
        return None
    return int(re.split("[.,]", text)[0])


def import_preview(*, region: Region, filnamn: str, innehall: bytes) -> ImportForhandsvisning:
    """Validate every row against the region; writes nothing. Five queries in all."""
    rader = _read_rows(filnamn, innehall)
    kommuner = {k.kod: k for k in Kommun.objects.filter(region=region)}
    kommuner_namn = {k.namn.lower(): k for k in kommuner.values()}
    # Only well-formed ids reach the query (a NUL byte would make PostgreSQL refuse it).
    hsa_ids = [h for r in rader if HSA_ID_RE.fullmatch(h := r.get("hsa_id", ""))]
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

        if any(har_kontrolltecken(v) for v in varden.values()):
            rad.fel.append("Raden innehåller otillåtna tecken (kontrolltecken).")
        namn = varden.get("namn", "")
        if not namn:
            rad.fel.append("Namn saknas.")
        elif len(namn) > NAMN_MAX:
            rad.fel.append(f"Namnet är längre än {NAMN_MAX} tecken.")

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

        listade = _heltal(varden.get("listade_patienter", ""))
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
    data = forhandsvisning.giltiga_data()
    befintliga = {
        vc.hsa_id: vc
        for vc in Vardcentral.objects.select_for_update().filter(
            region=region, hsa_id__in=[d["hsa_id"] for d in data]
        )
    }
    nya = uppdaterade = 0
    for rad in data:
        vc = befintliga.get(rad["hsa_id"])
        if vc is None:
            Vardcentral.objects.create(region=region, **rad)  # a history row: "+"
            nya += 1
            continue
        uppdaterade += 1
        if any(getattr(vc, k) != v for k, v in rad.items()):
            for k, v in rad.items():
                setattr(vc, k, v)
            vc.save()  # a history row with the changed name, aktiv or listade ("~")
    return nya, uppdaterade
