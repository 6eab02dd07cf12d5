from .behorighet import Behorighet


def behorighet(request) -> dict:
    """The access policy for templates; lazy, so a page that never asks makes no query."""
    return {"behorighet": Behorighet(request.user)}
