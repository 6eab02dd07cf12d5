"""Clearly fictional demo data at demo or national scale.

Nothing here resembles a real unit: names are "Demo vårdcentral …", HSA-ids carry the
organisation-number prefix SE23210000<region code> and the suffix DEMO<nnnn>. The kommuner
and regions are the real ones (from the reference data), so the spread looks like Sweden.

What is made, per region: vårdcentraler spread over its kommuner roughly by population,
three rounds ("2024", "2025" closed, "2026" open) with target levels that step up, one
self-assessment per unit and round with answers drawn from a latent model (unit capacity +
theme effect + criterion effect + persistent noise, improving unevenly over the rounds),
actions for gaps in every status (some overdue) and a few contract requirements per round.

Deterministic from ``seed``: every region and unit draws from its own random stream, so
the same seed gives the same rows. Idempotent: when the planned demo units and the demo
rounds are already there nothing is written; otherwise the demo rows (and only those) are
removed and rebuilt. Everything is built in memory first and written with bulk_create in
one transaction; bulk_create writes no history rows, which is right for generated data.

Where: the tables (names, texts, distributions) are data in ``tabeller.toml``, read by
``tabeller``; ``plan`` plans the units, ``bygge`` draws a region's rows, ``skapa`` writes.
"""

from .plan import (
    VardcentralPlan,
    antal_per_region,
    hsa_id_demo,
    listade_patienter_slump,
    vardcentraler_demo_create,
    vardcentraler_plan,
)
from .skapa import Resultat, demo_users_create, demodata_create, demodata_delete
from .tabeller import (
    ANTAL_NATIONELLT,
    DEMO_HSA_MARKOR,
    DEMO_LOSENORD,
    DEMO_REGION_KOD,
    OMGANG_NAMN,
    OMGANGAR,
    SKALOR,
)

__all__ = [
    "ANTAL_NATIONELLT",
    "DEMO_HSA_MARKOR",
    "DEMO_LOSENORD",
    "DEMO_REGION_KOD",
    "OMGANGAR",
    "OMGANG_NAMN",
    "SKALOR",
    "VardcentralPlan",
    "Resultat",
    "antal_per_region",
    "demo_users_create",
    "demodata_create",
    "demodata_delete",
    "hsa_id_demo",
    "listade_patienter_slump",
    "vardcentraler_demo_create",
    "vardcentraler_plan",
]
