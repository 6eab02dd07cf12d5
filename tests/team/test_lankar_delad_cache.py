"""The team links' miss counter in the database cache (the default outside the tests), so
that every app instance counts the same client's misses together."""

import pytest
from django.core.management import call_command
from django.http import Http404
from django.test import override_settings

from team.lankar import MAX_MISSLYCKADE, ForManga, medlem_for_token

pytestmark = pytest.mark.django_db

DATABASCACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "delad_cache",
    },
}


def test_misses_are_counted_in_the_database_cache_until_the_client_is_stopped(omgang, vc_stockholm):
    with override_settings(CACHES=DATABASCACHE):
        call_command("createcachetable", verbosity=0)
        for _ in range(MAX_MISSLYCKADE):
            with pytest.raises(Http404):
                medlem_for_token(
                    omgang_pk=omgang.pk, hsa_id=vc_stockholm.hsa_id, token="fel", klient="10.0.0.9"
                )
        with pytest.raises(ForManga):
            medlem_for_token(
                omgang_pk=omgang.pk, hsa_id=vc_stockholm.hsa_id, token="fel", klient="10.0.0.9"
            )
