"""The team's URLs take a unit's HSA-id in the one shape the app issues (``lib.converters``),
from the same route prefix as the self-assessment's own pages (``vardcentraler.urls.S``).

Before, team/urls.py had its own copy of the prefix with ``<str:hsa_id>``: any segment reached
the views, which then answered 404 from the database lookup."""

import pytest
from django.urls import Resolver404, resolve, reverse

HSA_ID = "SE2321000016-TEST00001"


@pytest.mark.parametrize(
    "url",
    [
        "/omgangar/1/inte-ett-hsa-id/team/",
        "/omgangar/1/inte-ett-hsa-id/underlag/",
        "/teambedomning/1/inte-ett-hsa-id/abc:def/",
    ],
)
def test_url_with_malformed_hsa_id_does_not_resolve(url):
    with pytest.raises(Resolver404):
        resolve(url)


def test_team_urls_share_the_self_assessment_prefix():
    assert reverse("team:team_list", args=[1, HSA_ID]) == (
        reverse("vardcentraler:sjalvskattning_detail", args=[1, HSA_ID]) + "team/"
    )
    lank = reverse("team:teambedomning_detail", args=[1, HSA_ID, "eyJtIjoxfQ:1abc:sig"])
    assert resolve(lank).url_name == "teambedomning_detail"
