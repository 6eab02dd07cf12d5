"""How a secret token is kept: only its SHA-256, so a database dump gives no working link or key.

Used by invitations (``konton``), the team's personal links (``team.lankar``) and API tokens
(``api.models``): each stores ``token_hash(token)`` and looks a presented token up by it.
"""

import hashlib


def token_hash(token: str) -> str:
    """The hex SHA-256 of ``token`` (64 characters, the width of the models' hash fields)."""
    return hashlib.sha256(token.encode()).hexdigest()
