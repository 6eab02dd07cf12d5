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
        "malbild_andringar": reverse("malbild:malbild_andringar", args=["2024-10-9251-v2"]),
        "exempel_list": reverse("malbild:exempel_list"),
        "exempel_detail": reverse("malbild:exempel_detail", args=["cedermodellen-triagering"]),
        "exempel_create": reverse("malbild:exempel_create"),
        "vardcentral_list": reverse("vardcentraler:vardcentral_list"),
        "vardcentral_detail_egen": reverse(
            "vardcentraler:vardcentral_detail", args=[vc_stockholm.hsa_id]
        ),
        "vardcentral_detail_annan": reverse(
            "vardcentraler:vardcentral_detail", args=[vc_uppsala.hsa_id]
        ),
        "vardcentral_import": reverse("vardcentraler:vardcentral_import"),
        **_omgang_urls(vc_stockholm, vc_uppsala, malbild_version),
        "uppfoljning_start": reverse("uppfoljning:uppfoljning_start"),
        "region_oversikt_egen": reverse("uppfoljning:region_oversikt", args=["01"]),
        "region_oversikt_annan": reverse("uppfoljning:region_oversikt", args=["03"]),
        "region_export_csv_egen": reverse("uppfoljning:region_export_csv", args=["01"]),
        "region_export_xlsx_annan": reverse("uppfoljning:region_export_xlsx", args=["03"]),
        "gaprapport_egen": reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id]),
        "gaprapport_annan": reverse("uppfoljning:gaprapport_detail", args=[vc_uppsala.hsa_id]),
        "nationell_oversikt": reverse("uppfoljning:nationell_oversikt"),
    }


def _omgang_urls(vc_stockholm, vc_uppsala, malbild_version):
    """A round in each region; URLs of every round/assessment view for the own and the other."""
    import datetime

    from vardcentraler import services

    urls = {
        "omgang_list": reverse("vardcentraler:omgang_list"),
        "omgang_create": reverse("vardcentraler:omgang_create"),
    }
    kriterium = malbild_version.teman.order_by("ordning").first().kriterier.first()
    for namn, vc in (("egen", vc_stockholm), ("annan", vc_uppsala)):
        omgang = services.omgang_create(
            region=vc.region,
            namn="2026",
            malbild_version=malbild_version,
            period_start=datetime.date(2026, 1, 1),
            period_slut=datetime.date(2026, 12, 31),
            sista_dag=datetime.date(2026, 10, 31),
            anvandare=None,
        )
        s = (omgang.pk, vc.hsa_id)
        urls[f"omgang_detail_{namn}"] = reverse("vardcentraler:omgang_detail", args=[omgang.pk])
        urls[f"malniva_update_{namn}"] = reverse("vardcentraler:malniva_update", args=[omgang.pk])
        urls[f"sjalvskattning_detail_{namn}"] = reverse(
            "vardcentraler:sjalvskattning_detail", args=s
        )
        urls[f"sjalvskattning_history_{namn}"] = reverse(
            "vardcentraler:sjalvskattning_history", args=s
        )
        urls[f"atgard_create_{namn}"] = (
            reverse("vardcentraler:atgard_create", args=s) + f"?kriterium={kriterium.pk}"
        )
        # POST-only views: a GET answers 405 to anyone who may see them (checked below).
        for post_vy in (
            "sjalvskattning_submit",
            "sjalvskattning_approve",
            "sjalvskattning_return",
            "sjalvskattning_reopen",
        ):
            urls[f"{post_vy}_{namn}"] = reverse(f"vardcentraler:{post_vy}", args=s)
        urls[f"svar_save_{namn}"] = reverse("vardcentraler:svar_save", args=[*s, kriterium.pk])
        urls[f"sjalvskattning_tema_save_{namn}"] = reverse(
            "vardcentraler:sjalvskattning_tema_save", args=[*s, kriterium.tema_id]
        )
    return urls


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
    "malbild_andringar": dict(
        planerare=200, planerare_uppsala=200, chef=200, nationell=200, admin=200, anonym=302
    ),
    "exempel_list": dict(
        planerare=200, planerare_uppsala=200, chef=200, nationell=200, admin=200, anonym=302
    ),
    "exempel_detail": dict(
        planerare=200, planerare_uppsala=200, chef=200, nationell=200, admin=200, anonym=302
    ),
    # Planners add their own region's examples; the admin has no region of its own.
    "exempel_create": dict(
        planerare=200, planerare_uppsala=200, chef=404, nationell=404, admin=404, anonym=302
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

_EGEN_SKRIV = dict(
    planerare=200, planerare_uppsala=404, chef=200, nationell=404, admin=200, anonym=302
)
_ANNAN_SKRIV = dict(
    planerare=404, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
)
MATRIS.update(
    {
        "omgang_list": dict(
            planerare=200, planerare_uppsala=200, chef=200, nationell=404, admin=200, anonym=302
        ),
        "omgang_create": dict(
            planerare=200, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
        ),
        "omgang_detail_egen": _EGEN_SKRIV,
        "omgang_detail_annan": _ANNAN_SKRIV,
        "malniva_update_egen": dict(_EGEN_SKRIV, chef=404),
        "malniva_update_annan": _ANNAN_SKRIV,
        "sjalvskattning_detail_egen": _EGEN_SKRIV,
        "sjalvskattning_detail_annan": _ANNAN_SKRIV,
        "sjalvskattning_history_egen": _EGEN_SKRIV,
        "sjalvskattning_history_annan": _ANNAN_SKRIV,
        "atgard_create_egen": _EGEN_SKRIV,
        "atgard_create_annan": _ANNAN_SKRIV,
    }
)

# POST-only views: GET is the wrong method (405) for anyone; the POST matrix is below.
POST_VYER = [
    "sjalvskattning_submit",
    "sjalvskattning_approve",
    "sjalvskattning_return",
    "sjalvskattning_reopen",
    "svar_save",
    "sjalvskattning_tema_save",
]
# Expected status of an empty POST: 404 outside the scope (or without the right: a
# verksamhetschef cannot approve), else the view answers (redirect or 422 refusal).
POST_MATRIS = {}
for _vy in POST_VYER:
    _granskning = _vy in (
        "sjalvskattning_approve",
        "sjalvskattning_return",
        "sjalvskattning_reopen",
    )
    POST_MATRIS[f"{_vy}_egen"] = dict(
        planerare="ok",
        planerare_uppsala=404,
        chef=404 if _granskning else "ok",
        nationell=404,
        admin="ok",
        anonym=302,
    )
    POST_MATRIS[f"{_vy}_annan"] = dict(
        planerare=404, planerare_uppsala="ok", chef=404, nationell=404, admin="ok", anonym=302
    )

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


POST_FALL = [(vy, p, POST_MATRIS[vy][p]) for vy in POST_MATRIS for p in PERSONAS]


@pytest.mark.parametrize(("vy", "persona", "forvantat"), POST_FALL, indirect=["persona"])
def test_post_matrix(client, vy, persona, forvantat, vc_stockholm, vc_uppsala, malbild_version):
    if persona is not None:
        client.force_login(persona)
    url = _urls(vc_stockholm, vc_uppsala, malbild_version)[vy]
    status = client.post(url, {}).status_code
    if forvantat == "ok":
        assert status in (302, 422), (vy, persona, status)
    else:
        assert status == forvantat, (vy, persona, status)
    if persona is not None and forvantat != 404:
        assert client.get(url).status_code == 405


@pytest.mark.parametrize("vy", ["omgang_list", "omgang_detail_egen", "sjalvskattning_history_egen"])
def test_read_views_refuse_post(client, planerare, vy, vc_stockholm, vc_uppsala, malbild_version):
    client.force_login(planerare)
    url = _urls(vc_stockholm, vc_uppsala, malbild_version)[vy]
    assert client.post(url).status_code == 405


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


# --- PDF reports, requirements and the ZIP of färdplaner (uppfoljning: views_pdf, views_krav) ---


@pytest.fixture
def rapport_urls(vc_stockholm, vc_uppsala, malbild_version):
    from tests.factories import OmgangFactory
    from vardcentraler.models import Sjalvskattning

    egen = OmgangFactory(region=vc_stockholm.region, malbild_version=malbild_version)
    annan = OmgangFactory(region=vc_uppsala.region, malbild_version=malbild_version)
    Sjalvskattning.objects.create(omgang=egen, vardcentral=vc_stockholm)
    Sjalvskattning.objects.create(omgang=annan, vardcentral=vc_uppsala)
    return {
        "rapport_region_egen": reverse("uppfoljning:rapport_region", args=["01"]),
        "rapport_region_annan": reverse("uppfoljning:rapport_region", args=["03"]),
        "kravstallning_pdf_egen": reverse("uppfoljning:kravstallning_pdf", args=["01", egen.pk]),
        "kravstallning_pdf_annan": reverse("uppfoljning:kravstallning_pdf", args=["03", annan.pk]),
        "fardplan_pdf_egen": reverse(
            "uppfoljning:fardplan_pdf", args=[egen.pk, vc_stockholm.hsa_id]
        ),
        "fardplan_pdf_annan": reverse(
            "uppfoljning:fardplan_pdf", args=[annan.pk, vc_uppsala.hsa_id]
        ),
        "krav_list_egen": reverse("uppfoljning:krav_list", args=[egen.pk]),
        "krav_list_annan": reverse("uppfoljning:krav_list", args=[annan.pk]),
        "krav_update_egen": reverse("uppfoljning:krav_update", args=[egen.pk]),
        "krav_update_annan": reverse("uppfoljning:krav_update", args=[annan.pk]),
    }


RAPPORT_MATRIS = {
    "rapport_region_egen": dict(
        planerare=200, planerare_uppsala=404, chef=200, nationell=200, admin=200, anonym=302
    ),
    "rapport_region_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=200, admin=200, anonym=302
    ),
    "kravstallning_pdf_egen": dict(
        planerare=200, planerare_uppsala=404, chef=200, nationell=200, admin=200, anonym=302
    ),
    "kravstallning_pdf_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=200, admin=200, anonym=302
    ),
    "fardplan_pdf_egen": dict(
        planerare=200, planerare_uppsala=404, chef=200, nationell=404, admin=200, anonym=302
    ),
    "fardplan_pdf_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
    ),
    "krav_list_egen": dict(
        planerare=200, planerare_uppsala=404, chef=200, nationell=404, admin=200, anonym=302
    ),
    "krav_list_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
    ),
    "krav_update_egen": dict(
        planerare=200, planerare_uppsala=404, chef=404, nationell=404, admin=200, anonym=302
    ),
    "krav_update_annan": dict(
        planerare=404, planerare_uppsala=200, chef=404, nationell=404, admin=200, anonym=302
    ),
}


@pytest.mark.parametrize(
    ("vy", "persona", "forvantat"),
    [(vy, p, RAPPORT_MATRIS[vy][p]) for vy in RAPPORT_MATRIS for p in PERSONAS],
    indirect=["persona"],
)
def test_rapport_matrix(client, vy, persona, forvantat, rapport_urls):
    if persona is not None:
        client.force_login(persona)
    response = client.get(rapport_urls[vy])
    assert response.status_code == forvantat, (vy, persona, response.status_code)
    if persona is None:
        assert response["Location"].startswith(reverse("login"))
