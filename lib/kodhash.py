"""A hash of source files, for cache keys that must change when a deploy changes the code.

The stored färdplaner (``uppfoljning.fardplanlager``) and the cached region dashboard
(``uppfoljning.selectors.region``) each name the files their output is made from."""

import hashlib
from pathlib import Path

from django.conf import settings


def filer_hash(monster: list[str], *, grund: str = "") -> str:
    """SHA-256 over ``grund`` and every file matching the glob patterns under ``BASE_DIR``
    (path and content, in sorted order)."""
    bas = Path(settings.BASE_DIR)
    h = hashlib.sha256(grund.encode())
    for moster in monster:
        for fil in sorted(bas.glob(moster)):
            if fil.is_file():
                h.update(str(fil.relative_to(bas)).encode())
                h.update(fil.read_bytes())
    return h.hexdigest()
