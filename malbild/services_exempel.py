"""Loading and adding practice examples ("Så har andra gjort").

The library's examples live in ``malbild/data/exempel_*.yaml`` and are loaded like the
instrument: idempotent, validated with Swedish messages, keyed by slug. Each names the
criteria it helps with by their code in one instrument version; the selectors find it
for the same criterion in other versions through ``ersatter``. A planner's own example
(``ursprung=region``) is written by ``exempel_create`` and never touched by the loader.
"""

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from .models import Exempel, Kriterium, MalbildVersion
from .services import DATA_DIR, MalbildDataError

FALT = ("slug", "titel", "plats", "beskrivning", "kriterier", "kallor")


def exempel_read(path: Path) -> dict:
    """Parse and validate a library file; raise ``MalbildDataError`` naming the first problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MalbildDataError(f"{path.name}: ogiltig YAML: {exc}") from exc
    for key in ("version", "dokument", "exempel"):
        if key not in (data or {}):
            raise MalbildDataError(f"{path.name}: nyckeln '{key}' saknas.")
    slugs = set()
    for exempel in data["exempel"]:
        for falt in FALT:
            if not exempel.get(falt):
                raise MalbildDataError(
                    f"Exempel {exempel.get('slug', '?')}: fältet '{falt}' saknas eller är tomt."
                )
        if exempel["slug"] in slugs or exempel["slug"].startswith("region-"):
            raise MalbildDataError(
                f"Exempel {exempel['slug']}: kortnamnet upprepas eller är reserverat."
            )
        slugs.add(exempel["slug"])
        for kalla in exempel["kallor"]:
            if kalla.get("dokument") not in data["dokument"] or not kalla.get("citat"):
                raise MalbildDataError(
                    f"Exempel {exempel['slug']}: källan saknar citat eller har okänt dokument."
                )
    return data


def _kallor(data: dict, exempel: dict) -> list[dict]:
    """Sources with their document's title, publisher and year, as shown on the page."""
    resultat = []
    for kalla in exempel["kallor"]:
        dok = data["dokument"][kalla["dokument"]]
        resultat.append(
            {**kalla, "titel": dok["titel"], "utgivare": dok["utgivare"], "ar": dok["ar"]}
        )
    return resultat


@transaction.atomic
def exempel_load(*, path: Path) -> tuple[str, int, bool]:
    """Load one library file. Returns its version, the number of examples and whether anything changed.

    Examples from an earlier file version that are no longer in the file are removed;
    regions' own examples are never touched. Five queries plus two per changed example.
    """
    data = exempel_read(path)
    instrument = data["version"]["instrument"]
    if not MalbildVersion.objects.filter(slug=instrument).exists():
        raise MalbildDataError(f"{path.name}: instrumentversionen {instrument} är inte inläst.")
    kriterier = {
        k.kod: k.pk for k in Kriterium.objects.filter(tema__version__slug=instrument).only("kod")
    }
    befintliga = {
        e.slug: e
        for e in Exempel.objects.filter(ursprung=Exempel.Ursprung.KALLA).prefetch_related(
            "kriterier"
        )
    }
    andrad = False
    for post in data["exempel"]:
        okanda = [kod for kod in post["kriterier"] if kod not in kriterier]
        if okanda:
            raise MalbildDataError(
                f"Exempel {post['slug']}: kriterierna {okanda} finns inte i {instrument}."
            )
        falt = {
            "titel": post["titel"].strip(),
            "plats": post["plats"].strip(),
            "beskrivning": post["beskrivning"].strip(),
            "resultat": (post.get("resultat") or "").strip(),
            "kallor": _kallor(data, post),
            "biblioteksversion": data["version"]["slug"],
        }
        ids = {kriterier[kod] for kod in post["kriterier"]}
        exempel = befintliga.pop(post["slug"], None)
        if (
            exempel is not None
            and all(getattr(exempel, namn) == varde for namn, varde in falt.items())
            and {k.pk for k in exempel.kriterier.all()} == ids
        ):
            continue
        andrad = True
        if exempel is None:
            exempel = Exempel(slug=post["slug"], ursprung=Exempel.Ursprung.KALLA)
        for namn, varde in falt.items():
            setattr(exempel, namn, varde)
        exempel.save()
        exempel.kriterier.set(ids)
    if befintliga:
        andrad = True
        Exempel.objects.filter(pk__in=[e.pk for e in befintliga.values()]).delete()
    return data["version"]["slug"], len(data["exempel"]), andrad


def exempel_load_all() -> list[tuple[str, int, bool]]:
    """Load every library file (``exempel_*.yaml``) in name order."""
    return [exempel_load(path=path) for path in sorted(DATA_DIR.glob("exempel_*.yaml"))]


@transaction.atomic
def exempel_create(
    *,
    region,
    anvandare,
    titel: str,
    plats: str,
    beskrivning: str,
    resultat: str,
    kriterier: list[Kriterium],
) -> Exempel:
    """A planner's own example for their region. Permission is checked by the caller."""
    bas = f"region-{region.kod}-{slugify(titel)[:50]}".rstrip("-")
    slug, n = bas, 1
    while Exempel.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{bas}-{n}"
    exempel = Exempel.objects.create(
        slug=slug,
        titel=titel,
        plats=plats,
        beskrivning=beskrivning,
        resultat=resultat,
        ursprung=Exempel.Ursprung.REGION,
        region=region,
        skapad_av=anvandare,
    )
    exempel.kriterier.set(kriterier)
    return exempel
