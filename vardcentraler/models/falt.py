"""Field facts read where they are needed, so that the model stays their one source."""

from django.db import models


def max_length(model: type[models.Model], falt: str) -> int:
    """The model field's ``max_length``: the limit forms, services and templates enforce."""
    return model._meta.get_field(falt).max_length
