"""The app's own settings, run as in production where it matters to timing.

DEBUG off (no query log, cached templates), plain static storage so no collectstatic
manifest is needed, and a URLconf with one trivial authenticated baseline view.
"""

import os
import warnings

os.environ.setdefault("DEBUG", "1")  # lets config.settings use its dev SECRET_KEY fallback

from config.settings import *  # noqa: E402,F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

# No collectstatic for the benchmark: WhiteNoise would only warn that staticfiles/ is missing.
warnings.filterwarnings("ignore", message="No directory at")
