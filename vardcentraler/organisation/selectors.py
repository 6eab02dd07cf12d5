"""Reads of units. What a user may see is decided in ``behorighet``."""

from django.db.models import Q, QuerySet

from ..behorighet import vardcentraler_for
from ..models import Vardcentral


def vardcentral_list_for_user(user, *, q: str = "", driftsform: str = "") -> QuerySet[Vardcentral]:
    """The units the user may see, by name, filtered on name/HSA-id and form of operation.
    One query when evaluated (plus a count when paginated)."""
    qs = vardcentraler_for(user).order_by("namn")
    if q:
        qs = qs.filter(Q(namn__icontains=q) | Q(hsa_id__icontains=q))
    if driftsform:
        qs = qs.filter(driftsform=driftsform)
    return qs
