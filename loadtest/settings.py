"""Production settings for the load test's gunicorn instances, with a cache they share.

Several instances must share Django's default cache (README "Flera app-instanser"): what
one instance caches, every other must see, and a cached figure one instance invalidates
must not live on in another's memory. ``config.settings`` is used as it is when its
default cache already lives in the database (or Redis); while it is still the per-process
``LocMemCache`` the load test puts it in the database, in its own table
(``run.py`` runs ``createcachetable``), so that the two-instance run tests the shared setup.
"""

from config.settings import *  # noqa: F403
from config.settings import CACHES

if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lasttest_cache",
    }
