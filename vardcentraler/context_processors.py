from .selectors import roll_for


def roll(request) -> dict:
    """The user's role for the navigation; the lookup is lazy and cached per request."""
    return {"anvandarroll": lambda: roll_for(request.user)}
