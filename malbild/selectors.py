"""Reads of the national instrument. The målbild is public to every logged-in user."""

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Kriterium, MalbildVersion, Tema


def malbild_version_senaste() -> MalbildVersion | None:
    """The newest published version. One query."""
    return MalbildVersion.objects.order_by("-publicerad", "-pk").first()


def malbild_version_get(slug: str) -> MalbildVersion:
    return get_object_or_404(MalbildVersion, slug=slug)


def tema_list(version: MalbildVersion) -> QuerySet[Tema]:
    """Themes with their criteria counts. One query."""
    return version.teman.annotate(antal_kriterier=Count("kriterier")).order_by("ordning")


def tema_get(version: MalbildVersion, kod: str) -> Tema:
    return get_object_or_404(Tema.objects.select_related("version"), version=version, kod=kod)


def kriterium_list(tema: Tema) -> QuerySet[Kriterium]:
    """Criteria with their level descriptions. Two queries."""
    return tema.kriterier.prefetch_related("nivaer").order_by("ordning")


def kriterier_for_version(version: MalbildVersion) -> QuerySet[Kriterium]:
    """All criteria of a version with theme and levels. Two queries."""
    return (
        Kriterium.objects.for_version(version)
        .select_related("tema")
        .prefetch_related(Prefetch("nivaer"))
        .order_by("tema__ordning", "ordning")
    )
