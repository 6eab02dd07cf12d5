"""The instrument across målbild versions: criteria linked by ``Kriterium.ersatter``.

Each criterion has a ``rot`` (the oldest criterion in its chain), so that answers stay
comparable when a new version replaces a criterion; themes are matched across versions
by ``Tema.kod``.
"""

from __future__ import annotations

from dataclasses import dataclass

from malbild.models import Kriterium, Tema


@dataclass
class Katalog:
    """Every criterion of every målbild version, with its theme and comparison root."""

    kriterier: dict[int, Kriterium]
    rot: dict[int, int]  # criterion id → root criterion id (through ``ersatter``)

    def for_version(self, version_id: int) -> list[Kriterium]:
        return [k for k in self.kriterier.values() if k.tema.version_id == version_id]

    def teman(self, version_id: int) -> list[Tema]:
        sett: dict[int, Tema] = {}
        for k in self.for_version(version_id):
            sett.setdefault(k.tema_id, k.tema)
        return sorted(sett.values(), key=lambda t: t.ordning)

    def tema_kod(self, kriterium_id: int) -> str:
        return self.kriterier[kriterium_id].tema.kod


def katalog_get() -> Katalog:
    """All criteria with their themes (a few dozen per version). One query."""
    kriterier = {
        k.pk: k
        for k in Kriterium.objects.select_related("tema").order_by(
            "tema__version_id", "tema__ordning", "ordning"
        )
    }
    rot: dict[int, int] = {}
    for pk in kriterier:
        nu, sett = pk, set()
        while kriterier[nu].ersatter_id and kriterier[nu].ersatter_id in kriterier:
            if nu in sett:  # a cycle would be a data error; stop rather than loop
                break
            sett.add(nu)
            nu = kriterier[nu].ersatter_id
        rot[pk] = nu
    return Katalog(kriterier=kriterier, rot=rot)
