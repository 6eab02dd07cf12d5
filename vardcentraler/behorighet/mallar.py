"""The access policy as templates ask it. Part of the one access policy."""

from __future__ import annotations

from functools import cached_property

from ..models import Profil
from . import (
    Roll,
    ar_admin,
    ar_verksamhetschef,
    far_hantera_anvandare,
    kan_anvanda_api,
    roll_for,
    ser_enheter,
    ser_nationellt,
    ser_regionen,
    tvasteg_erbjuds,
)

# --- For templates --------------------------------------------------------------------------


class Behorighet:
    """The policy as templates ask it (``{% if behorighet.ser_regionen %}``).

    Lazy: nothing is computed (and no query made) until a template reads an attribute.
    """

    def __init__(self, user):
        self._user = user

    @cached_property
    def roll(self) -> Roll | None:
        return roll_for(self._user)

    @cached_property
    def rollnamn(self) -> str:
        if self.roll == Roll.ADMIN:
            return "Administratör"
        return Profil.Roll(self.roll.value).label if self.roll else ""

    @cached_property
    def ar_admin(self) -> bool:
        return ar_admin(self._user)

    @cached_property
    def ar_verksamhetschef(self) -> bool:
        return ar_verksamhetschef(self._user)

    @cached_property
    def ar_planerare(self) -> bool:
        return self.roll == Roll.PLANERARE

    @cached_property
    def ar_nationell(self) -> bool:
        return self.roll == Roll.NATIONELL

    @cached_property
    def ser_regionen(self) -> bool:
        return ser_regionen(self._user)

    @cached_property
    def ser_nationellt(self) -> bool:
        return ser_nationellt(self._user)

    @cached_property
    def ser_enheter(self) -> bool:
        return ser_enheter(self._user)

    @cached_property
    def tvasteg_erbjuds(self) -> bool:
        return tvasteg_erbjuds(self._user)

    @cached_property
    def kan_anvanda_api(self) -> bool:
        return kan_anvanda_api(self._user)

    @cached_property
    def ser_uppfoljning(self) -> bool:
        return self.roll is not None

    @cached_property
    def far_hantera_anvandare(self) -> bool:
        return far_hantera_anvandare(self._user)
