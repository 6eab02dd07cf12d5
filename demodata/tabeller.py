"""The demo generator's tables, read from ``tabeller.toml`` (data, not code) at import.

Numbers that tune the model stay in code where they are used; this module holds the
settings every part shares and turns the TOML into the types the generator draws from.
"""

import tomllib
from pathlib import Path

from vardcentraler.models import Atgard, Sjalvskattning

_TABELLER = tomllib.loads((Path(__file__).with_name("tabeller.toml")).read_text("utf-8"))

DEMO_LOSENORD = "malbild-demo"
DEMO_REGION_KOD = "01"  # Region Stockholm
DEMO_HSA_MARKOR = "-DEMO"
SKALOR = ("demo", "national")

ANTAL_NATIONELLT: dict[str, int] = _TABELLER["antal_nationellt"]
KOMMUN_INVANARE: dict[str, int] = _TABELLER["kommun_invanare"]
FORLEDER: list[str] = _TABELLER["forleder"]

TEMA_EFFEKT: dict[int, float] = {int(k): v for k, v in _TABELLER["tema_effekt"].items()}
TEMA_PSYKOLOG = 5
TEMA_SOMATIK = 6

# name, period start, period end, last day, status
OMGANGAR = tuple(
    (o["namn"], o["period_start"], o["period_slut"], o["sista_dag"], o["status"])
    for o in _TABELLER["omgangar"]
)
OMGANG_NAMN = tuple(o[0] for o in OMGANGAR)


def _fordelning(rader, choices) -> list[tuple[str, float]]:
    return [(choices(status), p) for status, p in rader]


S = Sjalvskattning.Status
STATUS_STANGD = _fordelning(_TABELLER["sjalvskattning_status"]["stangd"], S)
STATUS_STANGD.append((S.EJ_PABORJAD, 1 - sum(p for _, p in STATUS_STANGD)))
STATUS_AKTUELL = _fordelning(_TABELLER["sjalvskattning_status"]["aktuell"], S)
ATGARD_STATUS = {  # by the round the action was added in
    omgang: _fordelning(rader, Atgard.Status)
    for omgang, rader in _TABELLER["atgard_status"].items()
}

MOTIVERING: dict[int | str, list[str]] = {
    (int(k) if k.isdigit() else k): v for k, v in _TABELLER["motivering"].items()
}
UNDERLAG: list[str] = _TABELLER["underlag"]
ATGARD_TEXT: dict[int, list[str]] = {int(k): v for k, v in _TABELLER["atgard_text"].items()}
ANSVARIGA: list[str] = _TABELLER["ansvariga"]
ATERSAND_KOMMENTARER: list[str] = _TABELLER["atersand_kommentarer"]
