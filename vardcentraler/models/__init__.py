"""The app's models, in two halves along the seam; re-exported here so that the app
label, the migrations and ``from vardcentraler.models import X`` stay as they were.

- ``organisation``: regions, kommuner, vårdcentraler and users' profiles.
- ``omgangar``: rounds, target levels, self-assessments, answers, actions, requirements.
"""

from .falt import max_length
from .omgangar import (
    Atgard,
    Granskningskommentar,
    Krav,
    Malniva,
    Omgang,
    OmgangQuerySet,
    Sjalvskattning,
    Svar,
    SvarQuerySet,
    niva_pa_skalan,
    niva_validators,
)
from .organisation import (
    HSA_ID_MAX,
    HSA_ID_RE,
    Kommun,
    Profil,
    Region,
    Vardcentral,
    VardcentralQuerySet,
    validate_hsa_id,
)

__all__ = [
    "HSA_ID_MAX",
    "HSA_ID_RE",
    "Atgard",
    "Granskningskommentar",
    "Kommun",
    "Krav",
    "Malniva",
    "Omgang",
    "OmgangQuerySet",
    "Profil",
    "Region",
    "Sjalvskattning",
    "Svar",
    "SvarQuerySet",
    "Vardcentral",
    "VardcentralQuerySet",
    "max_length",
    "niva_pa_skalan",
    "niva_validators",
    "validate_hsa_id",
]
