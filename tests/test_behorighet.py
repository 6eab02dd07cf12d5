"""The role × view × own/other-region matrix.

Each row: a view (a URL built from the fixtures), the persona, the expected
status for GET. The planner and the verksamhetschef belong to Region Stockholm;
"other" objects belong to Region Uppsala. 404, never 403, for another region's
objects, so their existence is not revealed. Later views add their rows here.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PERSONAS = ["planerare", "planerare_uppsala", "chef", "nationell", "admin", "anonym"]


def _urls(vc_stockholm, vc_uppsala, malbild_version):
    tema = malbild_version.teman.order_by("ordning").first()
    return {
        "start": reverse("start"),
        "malbild_overview": reverse("malbild:malbild_overview"),
        "malbild_detail": reverse("malbild:malbild_detail", args=[malbild_version.slug]),
        "tema_detail": reverse("malbild:tema_detail", args=[malbild_version.slug, tema.kod]),
        "vardcentral_list": reverse("vardcentraler:vardcentral_list"),
        "vardcentral_detail_egen": reverse(
            "vardcentraler:vardcentral_detail", args=[vc_stockholm.hsa_id]
        ),
        "vardcentral_detail_annan": reverse(
            "vardcentraler:vardcentral_detail", args=[vc_uppsala.hsa_id]
        ),
        "vardcentral_import": reverse("vardcentraler:vardcentral_import"),
        "uppfoljning_start": reverse("uppfoljning:uppfoljning_start"),
        "region_oversikt_egen": reverse("uppfoljning:region_oversikt", args=["01"]),
        "region_oversikt_annan": reverse("uppfoljning:region_oversikt", args=["03"]),
        "region_export_csv_egen": reverse("uppfoljning:region_export_csv", args=["01"]),
        "region_export_xlsx_annan": reverse("uppfoljning:region_export_xlsx", args=["03"]),
        "gaprapport_egen": reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id]),
        "gaprapport_annan": reverse("uppfoljning:gaprapport_detail", args=[vc_uppsala.hsa_id]),
        "nationell_oversikt": reverse("uppfoljning:nationell_oversikt"),
    }


# view -> expected status per persona (302 = redirect to login, or to the newest målbild).
MATRIS = {
    "start": dict(
        planerare=200, planerare_uppsala=200, chef=200, nationell=200, admin=200, anonym=302
    ),
    "malbild_overview": dict(
        planerare=302, planerare_uppsala=302, chef=302, nationell=302, admin=302, anonym=302
    ),
    "malbild_detail": dict(
        planerare=200, planerare_uppsala=200, chef=200, nationell=200, admin=200, anonym=302
    ),
    "tema_detail": dict(
        planerare=200, planerare_uppsala=200, chef=200, nationell=200, admin=200, anonym=302
    ),
    "vardcentral_list": dict(
        planerare=200, planerare_uppsala=200, chef=200, nationell=404, admin=200, anonym=302
    ),
    "vardcentral_detail_egen": dict(
        planerare=200, planerare_uppsala=404, chef=200, nationell=404, admin=200, anonym=302
    ),
    "vardcentral_detail_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
    ),
    "vardcentral_import": dict(
        planerare=200, planerare_uppsala=200, chef=404, nationell=404, admin=404, anonym=302
    ),
    # Follow-up: planners and managers see their region (managers only their units),
    # national readers only the national aggregates.
    "uppfoljning_start": dict(
        planerare=302, planerare_uppsala=302, chef=302, nationell=302, admin=302, anonym=302
    ),
    "region_oversikt_egen": dict(
        planerare=200, planerare_uppsala=404, chef=200, nationell=404, admin=200, anonym=302
    ),
    "region_oversikt_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
    ),
    "region_export_csv_egen": dict(
        planerare=200, planerare_uppsala=404, chef=200, nationell=404, admin=200, anonym=302
    ),
    "region_export_xlsx_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
    ),
    "gaprapport_egen": dict(
        planerare=200, planerare_uppsala=404, chef=200, nationell=404, admin=200, anonym=302
    ),
    "gaprapport_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
    ),
    "nationell_oversikt": dict(
        planerare=404, planerare_uppsala=404, chef=404, nationell=200, admin=200, anonym=302
    ),
}

FALL = [(vy, p, MATRIS[vy][p]) for vy in MATRIS for p in PERSONAS]


@pytest.mark.parametrize(("vy", "persona", "forvantat"), FALL, indirect=["persona"])
def test_matrix(client, vy, persona, forvantat, vc_stockholm, vc_uppsala, malbild_version):
    if persona is not None:
        client.force_login(persona)
    url = _urls(vc_stockholm, vc_uppsala, malbild_version)[vy]
    response = client.get(url)
    assert response.status_code == forvantat, (vy, persona, response.status_code)
    if persona is None:
        assert response["Location"].startswith(reverse("login"))


def test_the_admin_has_no_region_to_import_into(client, admin_user):
    # An administrator manages every region through Django admin; the import page is a planner's.
    client.force_login(admin_user)
    assert client.get(reverse("vardcentraler:vardcentral_import")).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/uppfoljning/",
        "/uppfoljning/nationellt/",
        "/uppfoljning/region/01/",
        "/uppfoljning/region/01/export.csv",
        "/uppfoljning/region/01/export.xlsx",
    ],
)
def test_follow_up_views_answer_405_to_post(client, planerare, nationell, url):
    client.force_login(nationell if "nationellt" in url else planerare)
    assert client.post(url).status_code == 405


def test_gap_report_answers_405_to_post(client, planerare, vc_stockholm):
    client.force_login(planerare)
    url = reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id])
    assert client.post(url).status_code == 405
