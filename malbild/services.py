"""Loading the national instrument from its data file.

The YAML file is the source of truth. Loading is idempotent: the same file
twice changes nothing. A version that a round has used is frozen (``last``):
changing its content raises ``MalbildLastError``; publish a new version with a
new slug instead, and let its criteria name the criterion they replace
(``ersatter: "<version-slug>/<kod>"``) so results stay comparable.
"""

import hashlib
import json
from pathlib import Path

import yaml
from django.db import transaction

from .models import NIVAER, Kriterium, MalbildVersion, Nivabeskrivning, Tema

DATA_DIR = Path(__file__).resolve().parent / "data"


class MalbildDataError(ValueError):
    """The data file is malformed; the message says where, in Swedish."""


class MalbildLastError(MalbildDataError):
    """The data file would change a version that a round has already used."""


def _hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def malbild_read(path: Path) -> dict:
    """Parse and validate the file; raise ``MalbildDataError`` naming the first problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MalbildDataError(f"{path.name}: ogiltig YAML: {exc}") from exc
    for key in ("version", "skala", "teman", "dokument"):
        if key not in (data or {}):
            raise MalbildDataError(f"{path.name}: nyckeln '{key}' saknas.")
    if sorted(int(k) for k in data["skala"]) != list(NIVAER):
        raise MalbildDataError(f"{path.name}: skalan ska ha nivåerna {list(NIVAER)}.")
    foljer_pa = int(data["version"].get("nummer", 1)) > 1
    koder = set()
    for tema in data["teman"]:
        for field in ("ordning", "kod", "kortnamn", "malbild", "forklaring", "konsensus_procent"):
            if field not in tema:
                raise MalbildDataError(f"Tema {tema.get('kod', '?')}: fältet '{field}' saknas.")
        for kriterium in tema.get("kriterier", []):
            kod = kriterium.get("kod")
            if not kod or kod in koder:
                raise MalbildDataError(
                    f"Tema {tema['kod']}: kriteriekod saknas eller upprepas ({kod})."
                )
            koder.add(kod)
            if sorted(int(n) for n in kriterium.get("nivaer", {})) != list(NIVAER):
                raise MalbildDataError(f"Kriterium {kod}: ska beskriva nivåerna {list(NIVAER)}.")
            if foljer_pa and bool(kriterium.get("ersatter")) == bool(kriterium.get("ny")):
                raise MalbildDataError(
                    f"Kriterium {kod}: ange antingen 'ersatter' (föregångaren) eller 'ny: true'."
                )
            if not kriterium.get("kallor"):
                raise MalbildDataError(f"Kriterium {kod}: källa saknas.")
            for kalla in kriterium["kallor"]:
                if kalla.get("dokument") not in data["dokument"]:
                    raise MalbildDataError(
                        f"Kriterium {kod}: okänt dokument {kalla.get('dokument')!r} i källan."
                    )
    return data


@transaction.atomic
def malbild_load(*, path: Path) -> tuple[MalbildVersion, bool]:
    """Load one målbild file. Returns the version and whether anything changed."""
    data = malbild_read(path)
    innehall_hash = _hash(data)
    meta = data["version"]
    version = MalbildVersion.objects.select_for_update().filter(slug=meta["slug"]).first()
    if version and version.innehall_hash == innehall_hash:
        return version, False
    if version and version.last:
        raise MalbildLastError(
            f"Målbildsversionen {version.slug} är låst eftersom en bedömningsomgång har använt den. "
            "Ändringar kräver en ny version med nytt kortnamn (slug)."
        )
    nummer = int(meta.get("nummer", 1))
    if MalbildVersion.objects.filter(nummer=nummer).exclude(slug=meta["slug"]).exists():
        raise MalbildDataError(
            f"{path.name}: versionsnummer {nummer} används redan av en annan målbildsversion."
        )
    if version is None:
        version = MalbildVersion(slug=meta["slug"])
    version.titel = meta["titel"]
    version.utgivare = meta["utgivare"]
    version.artikelnummer = str(meta["artikelnummer"])
    version.publicerad = meta["publicerad"]
    version.nummer = nummer
    version.skalnamn = {str(k): v for k, v in data["skala"].items()}
    version.skalkallor = data.get("skala_kallor", [])
    version.dokument = data["dokument"]
    version.innehall_hash = innehall_hash
    version.save()

    # An unlocked version has no answers yet, so its themes can be rebuilt.
    version.teman.all().delete()
    for tema_data in data["teman"]:
        tema = Tema.objects.create(
            version=version,
            ordning=tema_data["ordning"],
            kod=tema_data["kod"],
            kortnamn=tema_data["kortnamn"],
            malbild=tema_data["malbild"].strip(),
            forklaring=tema_data["forklaring"].strip(),
            konsensus_procent=tema_data["konsensus_procent"],
            konsensus_not=tema_data.get("konsensus_not", "").strip(),
            forklaring_utdrag=not tema_data.get("forklaring_hel", False),
            kalla=tema_data.get("kalla", {}),
        )
        for ordning, k in enumerate(tema_data.get("kriterier", []), start=1):
            ersatter = _ersatt_kriterium(k.get("ersatter"))
            andring = k.get("andring", "").strip()
            if ersatter and not andring and _andrad(ersatter, k):
                raise MalbildDataError(
                    f"Kriterium {k['kod']}: texten eller nivåerna skiljer sig från "
                    f"{k['ersatter']}; säg vad som ändrats i 'andring'."
                )
            kriterium = Kriterium.objects.create(
                tema=tema,
                kod=str(k["kod"]),
                ordning=ordning,
                text=k["text"].strip(),
                vagledning=k.get("vagledning", "").strip(),
                kallor=k["kallor"],
                ersatter=ersatter,
                andring=andring,
                tolkning=k.get("tolkning", "").strip(),
            )
            Nivabeskrivning.objects.bulk_create(
                Nivabeskrivning(kriterium=kriterium, niva=int(n), beskrivning=text.strip())
                for n, text in sorted(k["nivaer"].items(), key=lambda item: int(item[0]))
            )
    return version, True


def _andrad(foregangare: Kriterium, data: dict) -> bool:
    """Whether the criterion's wording or any level differs from its predecessor's."""
    if foregangare.text != data["text"].strip():
        return True
    gamla = {n.niva: n.beskrivning for n in foregangare.nivaer.all()}
    return any(gamla.get(int(n)) != text.strip() for n, text in data["nivaer"].items())


def _ersatt_kriterium(referens: str | None) -> Kriterium | None:
    if not referens:
        return None
    slug, _, kod = referens.partition("/")
    try:
        return Kriterium.objects.get(tema__version__slug=slug, kod=kod)
    except Kriterium.DoesNotExist as exc:
        raise MalbildDataError(
            f"'ersatter: {referens}' pekar på ett kriterium som inte finns."
        ) from exc


def malbild_load_all() -> list[tuple[MalbildVersion, bool]]:
    """Load every instrument file (``malbild_*.yaml``) in name order, older versions first.

    Version 1 is ``malbild_2024.yaml`` and version 2 ``malbild_2024_v2.yaml``; "." sorts
    before "_", so a version is always loaded before the one that names its criteria in
    ``ersatter``.
    """
    return [malbild_load(path=path) for path in sorted(DATA_DIR.glob("malbild_*.yaml"))]


def malbild_version_lock(*, version: MalbildVersion) -> None:
    """Freeze a version once a round uses it."""
    if not version.last:
        MalbildVersion.objects.filter(pk=version.pk).update(last=True)
        version.last = True
