"""Test settings: the real settings in development mode, with a fast password hasher."""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Background tasks run inline in tests; tests/uppfoljning/test_tasks.py also runs the database queue.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}  # noqa: F405
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Local memory for the default cache: the query counts the tests assert are the app's own,
# whichever cache a deployment chooses (the database cache's read is one query more; the
# follow-up's cached figures are tested against the database cache in
# tests/uppfoljning/test_sammanfattning.py).
CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
# Färdplaner rendered ahead after writes: on in the tests that are about them
# (tests/uppfoljning/test_fardplanlager.py); elsewhere the immediate backend would render a PDF
# inside every submit, approval and requirements save of the transactional (browser) tests.
FARDPLAN_FORBERED = False
