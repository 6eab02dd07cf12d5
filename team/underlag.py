"""Evidence per criterion: files checked by content, stored outside the web root, and links.

The type is decided by the file's bytes, never its name: PDF, PNG and JPEG by their magic
numbers; DOCX, XLSX and ODT are zip containers, told apart by what is inside
(``[Content_Types].xml``'s main part, or the ODF ``mimetype`` entry). The name's extension
must then agree with the content. Hand-written rather than python-magic: libmagic is a
system library and calls a DOCX "Microsoft OOXML" or "Zip archive" by version; we need six
types and the inner check, about 40 lines.

Files are stored as ``MEDIA_ROOT/underlag/<random hex>`` (no extension, never served by the
web server) and read back only through the scoped download view. Nothing is half-stored: a
row that fails removes its file, and a deleted row's file goes when the transaction commits.
"""

import secrets
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from vardcentraler.models import Sjalvskattning, max_length
from vardcentraler.omgangar.services import check_kriterium, check_open

from .models import Underlag

MAX_STORLEK = 10 * 1024 * 1024
MAX_PER_KRITERIUM = 10
BESKRIVNING_MAX = max_length(Underlag, "beskrivning")
URL_MAX = max_length(Underlag, "url")
FILNAMN_MAX = max_length(Underlag, "filnamn")

FILTYPER = {  # type: (extensions, content type for the download)
    "pdf": ((".pdf",), "application/pdf"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text"),
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
}
TILLATNA = "PDF, DOCX, XLSX, ODT, PNG eller JPEG"


def katalog() -> Path:
    return Path(settings.MEDIA_ROOT) / "underlag"


def sokvag(underlag: Underlag) -> Path:
    return katalog() / underlag.lagrat_namn


def _zip_typ(fil) -> str | None:
    try:
        with zipfile.ZipFile(fil) as z:
            namn = set(z.namelist())
            if "mimetype" in namn:
                mimetype = z.read("mimetype")[:100].strip()
                return "odt" if mimetype == b"application/vnd.oasis.opendocument.text" else None
            if "[Content_Types].xml" in namn:
                info = z.getinfo("[Content_Types].xml")
                if info.file_size > 1024 * 1024:
                    return None
                innehall = z.read(info)
                if b"wordprocessingml.document.main+xml" in innehall:
                    return "docx"
                if b"spreadsheetml.sheet.main+xml" in innehall:
                    return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    return None


def filtyp_for(fil) -> str | None:
    """The file's type by its content (one of ``FILTYPER``), or None."""
    fil.seek(0)
    borjan = fil.read(8)
    fil.seek(0)
    try:
        if borjan.startswith(b"%PDF-"):
            return "pdf"
        if borjan.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if borjan.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if borjan.startswith(b"PK\x03\x04"):
            return _zip_typ(fil)
        return None
    finally:
        fil.seek(0)


def _check(sjalvskattning: Sjalvskattning, kriterium, beskrivning: str) -> dict:
    check_open(sjalvskattning)
    check_kriterium(sjalvskattning, kriterium)
    fel = {}
    beskrivning = beskrivning.strip()
    if not beskrivning:
        fel["beskrivning"] = "Skriv en kort beskrivning av underlaget."
    elif len(beskrivning) > BESKRIVNING_MAX:
        fel["beskrivning"] = f"Beskrivningen får vara högst {BESKRIVNING_MAX} tecken."
    antal = Underlag.objects.filter(sjalvskattning=sjalvskattning, kriterium=kriterium).count()
    if antal >= MAX_PER_KRITERIUM:
        fel["__all__"] = (
            f"Kriteriet har redan {MAX_PER_KRITERIUM} underlag, det högsta antalet. "
            "Ta bort ett innan du lägger till ett nytt."
        )
    return fel


def _lock(sjalvskattning: Sjalvskattning) -> None:
    Sjalvskattning.objects.select_for_update().get(pk=sjalvskattning.pk)


@transaction.atomic
def underlag_create_fil(
    *, sjalvskattning: Sjalvskattning, kriterium, beskrivning: str, fil, anvandare
) -> Underlag:
    """Store a checked file and its row, both or neither."""
    _lock(sjalvskattning)
    fel = _check(sjalvskattning, kriterium, beskrivning)
    filnamn = Path(fil.name or "").name[-FILNAMN_MAX:]
    typ = None
    if fil.size > MAX_STORLEK:
        fel["fil"] = (
            f"Filen är {fil.size / 1024 / 1024:.1f} MB. Den får vara högst "
            f"{MAX_STORLEK // 1024 // 1024} MB."
        )
    elif fil.size == 0:
        fel["fil"] = "Filen är tom."
    else:
        typ = filtyp_for(fil)
        if typ is None:
            fel["fil"] = f"Filen är inte en {TILLATNA}-fil (dess innehåll avgör, inte namnet)."
        elif not filnamn.lower().endswith(FILTYPER[typ][0]):
            fel["fil"] = (
                f"Filens innehåll är {typ.upper()} men namnet slutar inte på "
                f"{' eller '.join(FILTYPER[typ][0])}. Byt namn på filen och försök igen."
            )
    if fel:
        raise ValidationError(fel)
    katalog().mkdir(parents=True, exist_ok=True)
    lagrat = secrets.token_hex(20)
    mal = katalog() / lagrat
    try:
        with mal.open("xb") as ut:
            for bit in fil.chunks():
                ut.write(bit)
        with transaction.atomic():
            return Underlag.objects.create(
                sjalvskattning=sjalvskattning,
                kriterium=kriterium,
                typ=Underlag.Typ.FIL,
                beskrivning=beskrivning.strip(),
                filnamn=filnamn,
                lagrat_namn=lagrat,
                filtyp=typ,
                storlek=fil.size,
                skapad_av=anvandare,
            )
    except BaseException:
        mal.unlink(missing_ok=True)
        raise


@transaction.atomic
def underlag_create_lank(
    *, sjalvskattning: Sjalvskattning, kriterium, beskrivning: str, url: str, anvandare
) -> Underlag:
    _lock(sjalvskattning)
    fel = _check(sjalvskattning, kriterium, beskrivning)
    url = url.strip()
    delar = urlsplit(url) if len(url) <= URL_MAX else None
    if delar is None:
        fel["url"] = f"Länken får vara högst {URL_MAX} tecken."
    elif delar.scheme not in ("http", "https") or not delar.netloc:
        fel["url"] = "Ange en fullständig länk som börjar med https:// eller http://."
    if fel:
        raise ValidationError(fel)
    return Underlag.objects.create(
        sjalvskattning=sjalvskattning,
        kriterium=kriterium,
        typ=Underlag.Typ.LANK,
        beskrivning=beskrivning.strip(),
        url=url,
        skapad_av=anvandare,
    )


@transaction.atomic
def underlag_delete(*, sjalvskattning: Sjalvskattning, underlag_pk: int) -> None:
    """Remove one piece of evidence; its file goes once the deletion is committed."""
    _lock(sjalvskattning)
    check_open(sjalvskattning)
    underlag = Underlag.objects.filter(pk=underlag_pk, sjalvskattning=sjalvskattning).first()
    if underlag is None:
        raise ValidationError("Underlaget finns inte längre. Inget har ändrats.")
    fil = sokvag(underlag) if underlag.typ == Underlag.Typ.FIL else None
    underlag.delete()
    if fil is not None:
        transaction.on_commit(lambda: fil.unlink(missing_ok=True))


@transaction.atomic
def underlag_carry_forward(*, sjalvskattning: Sjalvskattning, anvandare) -> int:
    """Copy the previous round's evidence of the unit onto the same (or replacing) criteria.

    Files are copied under new random names, so each round's evidence stands alone. Evidence
    already carried forward is not copied twice; the per-criterion limit holds. Returns the
    number copied. If anything fails, the copied files are removed again.
    """
    _lock(sjalvskattning)
    check_open(sjalvskattning)
    foregaende = sjalvskattning.omgang.foregaende()
    if foregaende is None:
        raise ValidationError("Det finns ingen tidigare omgång att hämta underlag från.")
    from malbild.models import Kriterium

    kriterier = {
        k.pk: k for k in Kriterium.objects.for_version(sjalvskattning.omgang.malbild_version_id)
    }
    ersatter = {k.ersatter_id: k for k in kriterier.values() if k.ersatter_id}
    tidigare = Underlag.objects.filter(
        sjalvskattning__omgang=foregaende,
        sjalvskattning__vardcentral_id=sjalvskattning.vardcentral_id,
    )
    befintliga = list(Underlag.objects.filter(sjalvskattning=sjalvskattning))
    redan = {u.fran_id for u in befintliga}
    antal = {}
    for u in befintliga:
        antal[u.kriterium_id] = antal.get(u.kriterium_id, 0) + 1
    skrivna, nya = [], 0
    try:
        for u in tidigare:
            kriterium = kriterier.get(u.kriterium_id) or ersatter.get(u.kriterium_id)
            if (
                kriterium is None
                or u.pk in redan
                or antal.get(kriterium.pk, 0) >= MAX_PER_KRITERIUM
            ):
                continue
            kopia = Underlag(
                sjalvskattning=sjalvskattning,
                kriterium=kriterium,
                typ=u.typ,
                beskrivning=u.beskrivning,
                url=u.url,
                filnamn=u.filnamn,
                filtyp=u.filtyp,
                storlek=u.storlek,
                skapad_av=anvandare,
                fran=u,
            )
            if u.typ == Underlag.Typ.FIL:
                kopia.lagrat_namn = secrets.token_hex(20)
                shutil.copyfile(sokvag(u), katalog() / kopia.lagrat_namn)
                skrivna.append(katalog() / kopia.lagrat_namn)
            kopia.save()
            antal[kriterium.pk] = antal.get(kriterium.pk, 0) + 1
            nya += 1
    except BaseException:
        for p in skrivna:
            p.unlink(missing_ok=True)
        raise
    return nya


def underlag_for(sjalvskattning: Sjalvskattning) -> dict[int, list[Underlag]]:
    """The self-assessment's evidence by criterion pk (names, never contents). One query."""
    per_kriterium: dict[int, list[Underlag]] = {}
    for u in Underlag.objects.filter(sjalvskattning=sjalvskattning):
        per_kriterium.setdefault(u.kriterium_id, []).append(u)
    return per_kriterium
