"""The role × view × own/other-region matrix, generated from the URLconf.

Every named URL of the project has a row in ``RADER`` (or a reason in ``UNDANTAG``); a new
URL without one fails ``test_every_url_has_a_row``. A row builds the URL for a "side" — the
own region (Region Stockholm, where the planner and the verksamhetschef work) and, for views
of a region's objects, the other (Region Uppsala) — and gives the expected status per persona.
404, never 403, for another region's objects, so their existence is not revealed.

GET rows expect a status. POST rows send an empty POST: "ok" means the view answered (a
redirect or a 4xx refusal with a message, never 404/500); a number is the exact status. A GET
to a POST-only view is 405 for anyone who may see it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONER, modul_data, modul_fixture, personer_create
from tests.factories import AtgardFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["planerare", "planerare_uppsala", "chef", "nationell", "admin", "anonym"]


def _alla(status: int) -> dict:
    return dict.fromkeys(PERSONAS[:-1], status) | {"anonym": 302}


# The common shapes of a row. "Own" objects belong to Stockholm, "other" ones to Uppsala.
INLOGGADE = _alla(200)
REGIONENS = dict(INLOGGADE, nationell=404)  # a region's pages: not the national reader's
EGEN = dict(REGIONENS, planerare_uppsala=404)
ANNAN = dict(EGEN, planerare=404, planerare_uppsala=200, chef=404)
EGEN_PLANERA = dict(EGEN, chef=404)  # the region's planner (and the administrator) only
ANNAN_PLANERA = ANNAN
EGEN_LASA = dict(EGEN, nationell=200)  # aggregates the national reader may read too
ANNAN_LASA = dict(ANNAN, nationell=200)
# POST: the same shapes with "ok" where the view may answer.
EGEN_POST = {p: ("ok" if s == 200 else s) for p, s in EGEN.items()}
ANNAN_POST = {p: ("ok" if s == 200 else s) for p, s in ANNAN.items()}
EGEN_PLANERA_POST = dict(EGEN_POST, chef=404)
# issue 15: the unit's team (names, ratings, consensus) is the unit's own verksamhetschef's and
# the administrator's; the region's planner sees the spread only, on the review page.
TEAM = dict(EGEN, planerare=404)
TEAM_ANNAN = dict(ANNAN, planerare_uppsala=404)
TEAM_POST = {p: ("ok" if s == 200 else s) for p, s in TEAM.items()}
TEAM_ANNAN_POST = {p: ("ok" if s == 200 else s) for p, s in TEAM_ANNAN.items()}


@dataclass(frozen=True)
class Rad:
    """One view: how to build its URL for a side, and the expected status per persona."""

    url: Callable[[SimpleNamespace], str]
    egen: dict
    annan: dict | None = None  # None: the view is not about one region's objects
    metod: str = "GET"  # "GET": a page; "FORM": GET shows a form, POST writes; "POST": writes only


def _s(namn: str, *extra) -> Callable[[SimpleNamespace], str]:
    """A view of one unit's self-assessment in one round (``omgangar/<pk>/<hsa_id>/…``)."""
    return lambda v: reverse(namn, args=[v.omgang.pk, v.vc.hsa_id, *[f(v) for f in extra]])


def _k(namn: str) -> Callable[[SimpleNamespace], str]:
    """A view of one managed user of the side's region (a verksamhetschef there)."""
    return lambda v: reverse(namn, args=[v.anvandare.username])


RADER: dict[str, Rad] = {
    "start": Rad(lambda v: reverse("start"), INLOGGADE),
    "tillganglighet": Rad(lambda v: reverse("tillganglighet"), dict(INLOGGADE, anonym=200)),
    # The instrument: everyone signed in; the overview redirects to the newest version.
    "malbild:malbild_overview": Rad(lambda v: reverse("malbild:malbild_overview"), _alla(302)),
    "malbild:malbild_detail": Rad(
        lambda v: reverse("malbild:malbild_detail", args=[v.version.slug]), INLOGGADE
    ),
    "malbild:tema_detail": Rad(
        lambda v: reverse("malbild:tema_detail", args=[v.version.slug, v.tema.kod]), INLOGGADE
    ),
    "malbild:malbild_andringar": Rad(
        lambda v: reverse("malbild:malbild_andringar", args=["2024-10-9251-v2"]), INLOGGADE
    ),
    # The practice library: everyone signed in reads it; a planner adds the region's own
    # examples (the administrator has no region of its own).
    "malbild:exempel_list": Rad(lambda v: reverse("malbild:exempel_list"), INLOGGADE),
    "malbild:exempel_detail": Rad(
        lambda v: reverse("malbild:exempel_detail", args=["cedermodellen-triagering"]), INLOGGADE
    ),
    "malbild:exempel_create": Rad(
        lambda v: reverse("malbild:exempel_create"),
        dict(REGIONENS, chef=404, admin=404),
        metod="FORM",
    ),
    # Units and the planner's import.
    "vardcentraler:vardcentral_list": Rad(
        lambda v: reverse("vardcentraler:vardcentral_list"), REGIONENS
    ),
    "vardcentraler:vardcentral_detail": Rad(
        lambda v: reverse("vardcentraler:vardcentral_detail", args=[v.vc.hsa_id]), EGEN, ANNAN
    ),
    "vardcentraler:vardcentral_import": Rad(
        lambda v: reverse("vardcentraler:vardcentral_import"),
        dict(REGIONENS, chef=404, admin=404),  # the administrator imports through Django admin
        metod="FORM",
    ),
    "vardcentraler:vardcentral_import_mall": Rad(
        lambda v: reverse("vardcentraler:vardcentral_import_mall"),
        dict(REGIONENS, chef=404, admin=404),
    ),
    "vardcentraler:vardcentral_import_confirm": Rad(
        lambda v: reverse("vardcentraler:vardcentral_import_confirm"),
        dict(EGEN_PLANERA_POST, planerare_uppsala="ok", admin=404),
        metod="POST",
    ),
    # Rounds, targets, self-assessments, actions, review and history.
    "vardcentraler:omgang_list": Rad(lambda v: reverse("vardcentraler:omgang_list"), REGIONENS),
    "vardcentraler:omgang_create": Rad(
        lambda v: reverse("vardcentraler:omgang_create"), dict(REGIONENS, chef=404), metod="FORM"
    ),
    "vardcentraler:omgang_detail": Rad(
        lambda v: reverse("vardcentraler:omgang_detail", args=[v.omgang.pk]), EGEN, ANNAN
    ),
    "vardcentraler:malniva_update": Rad(
        lambda v: reverse("vardcentraler:malniva_update", args=[v.omgang.pk]),
        EGEN_PLANERA,
        ANNAN_PLANERA,
        metod="FORM",
    ),
    "vardcentraler:sjalvskattning_review": Rad(
        _s("vardcentraler:sjalvskattning_review"), EGEN_PLANERA, ANNAN_PLANERA, metod="FORM"
    ),
    "vardcentraler:sjalvskattning_approve_confirm": Rad(
        _s("vardcentraler:sjalvskattning_approve_confirm"), EGEN_PLANERA, ANNAN_PLANERA
    ),
    "vardcentraler:omgang_approve_bulk": Rad(
        lambda v: reverse("vardcentraler:omgang_approve_bulk", args=[v.omgang.pk]),
        EGEN_PLANERA,
        ANNAN_PLANERA,
        metod="FORM",
    ),
    "vardcentraler:omgang_close": Rad(
        lambda v: reverse("vardcentraler:omgang_close", args=[v.omgang.pk]),
        EGEN_PLANERA,
        ANNAN_PLANERA,
        metod="FORM",
    ),
    "vardcentraler:sjalvskattning_detail": Rad(
        _s("vardcentraler:sjalvskattning_detail"), EGEN, ANNAN
    ),
    "vardcentraler:sjalvskattning_history": Rad(
        _s("vardcentraler:sjalvskattning_history"), EGEN, ANNAN
    ),
    "vardcentraler:svar_detail": Rad(
        # Without htmx it redirects to the criterion on the form page.
        _s("vardcentraler:svar_detail", lambda v: v.kriterium.pk),
        {p: (302 if s == 200 else s) for p, s in EGEN.items()},
        {p: (302 if s == 200 else s) for p, s in ANNAN.items()},
    ),
    "vardcentraler:atgard_create": Rad(
        lambda v: _s("vardcentraler:atgard_create")(v) + f"?kriterium={v.kriterium.pk}",
        EGEN,
        ANNAN,
        metod="FORM",
    ),
    "vardcentraler:atgard_update": Rad(
        _s("vardcentraler:atgard_update", lambda v: v.atgard.pk), EGEN, ANNAN, metod="FORM"
    ),
    "vardcentraler:svar_save": Rad(
        _s("vardcentraler:svar_save", lambda v: v.kriterium.pk), EGEN_POST, ANNAN_POST, "POST"
    ),
    "vardcentraler:sjalvskattning_tema_save": Rad(
        _s("vardcentraler:sjalvskattning_tema_save", lambda v: v.tema.pk),
        EGEN_POST,
        ANNAN_POST,
        "POST",
    ),
    "vardcentraler:sjalvskattning_submit": Rad(
        _s("vardcentraler:sjalvskattning_submit"), EGEN_POST, ANNAN_POST, "POST"
    ),
    # The self-assessment in steps: whoever may write it (the unit's chef, the region's planner).
    "vardcentraler:sjalvskattning_tema_edit": Rad(
        _s("vardcentraler:sjalvskattning_tema_edit", lambda v: 1), EGEN, ANNAN
    ),
    "vardcentraler:sjalvskattning_copy": Rad(
        _s("vardcentraler:sjalvskattning_copy"), EGEN, ANNAN, metod="FORM"
    ),
    "vardcentraler:sjalvskattning_check": Rad(
        _s("vardcentraler:sjalvskattning_check"), EGEN, ANNAN
    ),
    "vardcentraler:sjalvskattning_receipt": Rad(
        # Not sent yet: to the check page.
        _s("vardcentraler:sjalvskattning_receipt"),
        {p: (302 if s == 200 else s) for p, s in EGEN.items()},
        {p: (302 if s == 200 else s) for p, s in ANNAN.items()},
    ),
    "vardcentraler:sjalvskattning_print": Rad(
        _s("vardcentraler:sjalvskattning_print"), EGEN, ANNAN
    ),
    "vardcentraler:sjalvskattning_approve": Rad(
        _s("vardcentraler:sjalvskattning_approve"), EGEN_PLANERA_POST, ANNAN_POST, "POST"
    ),
    "vardcentraler:sjalvskattning_return": Rad(
        _s("vardcentraler:sjalvskattning_return"), EGEN_PLANERA_POST, ANNAN_POST, "POST"
    ),
    "vardcentraler:sjalvskattning_reopen": Rad(
        _s("vardcentraler:sjalvskattning_reopen"), EGEN_PLANERA_POST, ANNAN_POST, "POST"
    ),
    # Follow-up: planners and managers see their region (managers only their units),
    # national readers only the national aggregates.
    "uppfoljning:uppfoljning_start": Rad(
        lambda v: reverse("uppfoljning:uppfoljning_start"), _alla(302)
    ),
    "uppfoljning:region_oversikt": Rad(
        lambda v: reverse("uppfoljning:region_oversikt", args=[v.region.kod]), EGEN, ANNAN
    ),
    "uppfoljning:region_export_csv": Rad(
        lambda v: reverse("uppfoljning:region_export_csv", args=[v.region.kod]), EGEN, ANNAN
    ),
    "uppfoljning:region_export_xlsx": Rad(
        lambda v: reverse("uppfoljning:region_export_xlsx", args=[v.region.kod]), EGEN, ANNAN
    ),
    "uppfoljning:atgard_list": Rad(
        lambda v: reverse("uppfoljning:atgard_list", args=[v.region.kod]), EGEN, ANNAN
    ),
    "uppfoljning:atgard_export_csv": Rad(
        lambda v: reverse("uppfoljning:atgard_export_csv", args=[v.region.kod]), EGEN, ANNAN
    ),
    "uppfoljning:atgard_export_xlsx": Rad(
        lambda v: reverse("uppfoljning:atgard_export_xlsx", args=[v.region.kod]), EGEN, ANNAN
    ),
    "uppfoljning:gaprapport_detail": Rad(
        lambda v: reverse("uppfoljning:gaprapport_detail", args=[v.vc.hsa_id]), EGEN, ANNAN
    ),
    "uppfoljning:nationell_oversikt": Rad(
        lambda v: reverse("uppfoljning:nationell_oversikt"),
        dict(_alla(404), nationell=200, admin=200, anonym=302),
    ),
    "uppfoljning:nationell_export_csv": Rad(
        lambda v: reverse("uppfoljning:nationell_export_csv"),
        dict(_alla(404), nationell=200, admin=200, anonym=302),
    ),
    "uppfoljning:nationell_export_xlsx": Rad(
        lambda v: reverse("uppfoljning:nationell_export_xlsx"),
        dict(_alla(404), nationell=200, admin=200, anonym=302),
    ),
    # PDF reports, requirements and the ZIP of färdplaner.
    "uppfoljning:rapport_index": Rad(
        lambda v: reverse("uppfoljning:rapport_index"),
        # One region goes straight to its page (302); the reader and the admin choose (200).
        dict(_alla(302), nationell=200, admin=200),
    ),
    "uppfoljning:rapport_region": Rad(
        lambda v: reverse("uppfoljning:rapport_region", args=[v.region.kod]),
        EGEN_LASA,
        ANNAN_LASA,
    ),
    "uppfoljning:kravstallning_pdf": Rad(
        lambda v: reverse("uppfoljning:kravstallning_pdf", args=[v.region.kod, v.omgang.pk]),
        EGEN_LASA,
        ANNAN_LASA,
    ),
    "uppfoljning:fardplan_pdf": Rad(_s("uppfoljning:fardplan_pdf"), EGEN, ANNAN),
    "vardcentraler:krav_list": Rad(
        lambda v: reverse("vardcentraler:krav_list", args=[v.omgang.pk]), EGEN, ANNAN
    ),
    "vardcentraler:krav_update": Rad(
        lambda v: reverse("vardcentraler:krav_update", args=[v.omgang.pk]),
        EGEN_PLANERA,
        ANNAN_PLANERA,
        metod="FORM",
    ),
    "uppfoljning:fardplan_arkiv_create": Rad(
        lambda v: reverse("uppfoljning:fardplan_arkiv_create", args=[v.region.kod, v.omgang.pk]),
        EGEN_PLANERA_POST,
        ANNAN_POST,
        "POST",
    ),
    "uppfoljning:fardplan_arkiv_detail": Rad(
        lambda v: reverse("uppfoljning:fardplan_arkiv_detail", args=[v.arkiv.pk]),
        EGEN_PLANERA,
        ANNAN_PLANERA,
    ),
    "uppfoljning:fardplan_arkiv_download": Rad(
        # The archive exists but has no file yet: 404 for everyone, checked for scope below.
        lambda v: reverse("uppfoljning:fardplan_arkiv_download", args=[v.arkiv.pk]),
        dict(_alla(404), anonym=302),
        dict(_alla(404), anonym=302),
    ),
    # The user's own API tokens: every role may have them; a token is its owner's alone.
    "api:apitoken_list": Rad(lambda v: reverse("api:apitoken_list"), INLOGGADE, metod="FORM"),
    "api:apitoken_revoke": Rad(
        # The planner's token: only the planner may revoke it; to everyone else it does not exist.
        lambda v: reverse("api:apitoken_revoke", args=[v.token.pk]),
        dict(_alla(404), planerare="ok", anonym=302),
        metod="POST",
    ),
    # Accounts (konton): the region's users are managed by its planners and the administrator.
    "konton:anvandare_list": Rad(
        lambda v: reverse("konton:anvandare_list"), dict(REGIONENS, chef=404)
    ),
    "konton:inbjudan_create": Rad(
        lambda v: reverse("konton:inbjudan_create"), dict(REGIONENS, chef=404), metod="FORM"
    ),
    "konton:anvandare_detail": Rad(_k("konton:anvandare_detail"), EGEN_PLANERA, ANNAN_PLANERA),
    "konton:anvandare_update": Rad(
        _k("konton:anvandare_update"), EGEN_PLANERA, ANNAN_PLANERA, metod="FORM"
    ),
    "konton:anvandare_deactivate": Rad(
        _k("konton:anvandare_deactivate"), EGEN_PLANERA, ANNAN_PLANERA, metod="FORM"
    ),
    "konton:anvandare_reactivate": Rad(
        _k("konton:anvandare_reactivate"), EGEN_PLANERA_POST, ANNAN_POST, "POST"
    ),
    "konton:inbjudan_resend": Rad(
        _k("konton:inbjudan_resend"), EGEN_PLANERA_POST, ANNAN_POST, "POST"
    ),
    # The invitation link and the password pages work without a session (the link is the key).
    "konton:inbjudan_accept": Rad(
        lambda v: reverse("konton:inbjudan_accept", args=[v.inbjudan_token]),
        _alla(200) | {"anonym": 200},
        metod="FORM",
    ),
    "konton:password_change": Rad(
        lambda v: reverse("konton:password_change"), INLOGGADE, metod="FORM"
    ),
    "konton:password_change_done": Rad(lambda v: reverse("konton:password_change_done"), INLOGGADE),
    "konton:password_reset": Rad(
        lambda v: reverse("konton:password_reset"), _alla(200) | {"anonym": 200}, metod="FORM"
    ),
    "konton:password_reset_done": Rad(
        lambda v: reverse("konton:password_reset_done"), _alla(200) | {"anonym": 200}
    ),
    "konton:password_reset_confirm": Rad(
        # A link that is not valid: the page says so (200), for anyone.
        lambda v: reverse("konton:password_reset_confirm", args=["MQ", "fel-token"]),
        _alla(200) | {"anonym": 200},
        metod="FORM",
    ),
    "konton:password_reset_complete": Rad(
        lambda v: reverse("konton:password_reset_complete"), _alla(200) | {"anonym": 200}
    ),
    # Single sign-on is off in the test settings: its entry points are not there (404);
    # tests/konton/test_sso.py and tests/browser/test_sso.py test them with SSO on.
    "konton:sso_start": Rad(lambda v: reverse("konton:sso_start"), _alla(404) | {"anonym": 404}),
    "konton:sso_callback": Rad(
        lambda v: reverse("konton:sso_callback"), _alla(404) | {"anonym": 404}
    ),
    "konton:sso_nekad": Rad(lambda v: reverse("konton:sso_nekad"), _alla(403) | {"anonym": 403}),
    # A user's own notices and mail settings: everyone signed in, nobody sees another's.
    "notiser:notis_list": Rad(lambda v: reverse("notiser:notis_list"), INLOGGADE),
    "notiser:notis_mark_read": Rad(
        lambda v: reverse("notiser:notis_mark_read"),
        {p: ("ok" if st == 200 else st) for p, st in INLOGGADE.items()},
        metod="POST",
    ),
    "notiser:installning_update": Rad(
        lambda v: reverse("notiser:installning_update"), INLOGGADE, metod="FORM"
    ),
    # issue 15: team self-assessment and evidence.
    "team:omgang_teambedomning_update": Rad(
        lambda v: reverse("team:omgang_teambedomning_update", args=[v.omgang.pk]),
        EGEN_PLANERA,
        ANNAN_PLANERA,
        metod="FORM",
    ),
    "team:team_list": Rad(_s("team:team_list"), TEAM, TEAM_ANNAN),
    "team:teammedlem_create": Rad(_s("team:teammedlem_create"), TEAM_POST, TEAM_ANNAN_POST, "POST"),
    "team:teamlank_create": Rad(
        _s("team:teamlank_create", lambda v: v.medlem.pk), TEAM_POST, TEAM_ANNAN_POST, "POST"
    ),
    "team:teammedlem_delete": Rad(
        _s("team:teammedlem_delete", lambda v: v.medlem.pk), TEAM_POST, TEAM_ANNAN_POST, "POST"
    ),
    "team:konsensus_list": Rad(_s("team:konsensus_list"), TEAM, TEAM_ANNAN),
    "team:konsensus_update": Rad(
        _s("team:konsensus_update", lambda v: v.tema.pk), TEAM, TEAM_ANNAN, metod="FORM"
    ),
    "team:underlag_list": Rad(_s("team:underlag_list"), EGEN, ANNAN),
    "team:underlag_detail": Rad(
        _s("team:underlag_detail", lambda v: v.kriterium.pk), EGEN, ANNAN, metod="FORM"
    ),
    "team:underlag_download": Rad(
        _s("team:underlag_download", lambda v: v.underlag.pk), EGEN, ANNAN
    ),
    "team:underlag_delete": Rad(
        _s("team:underlag_delete", lambda v: v.underlag.pk), EGEN_POST, ANNAN_POST, "POST"
    ),
    "team:underlag_carry_forward": Rad(
        _s("team:underlag_carry_forward"), EGEN_POST, ANNAN_POST, "POST"
    ),
    # A member's pages: the personal link is the key, with or without a session.
    "team:teambedomning_detail": Rad(
        lambda v: reverse(
            "team:teambedomning_detail", args=[v.omgang.pk, v.vc.hsa_id, v.teamtoken]
        ),
        _alla(200) | {"anonym": 200},
    ),
    "team:teambedomning_tema": Rad(
        lambda v: reverse(
            "team:teambedomning_tema", args=[v.omgang.pk, v.vc.hsa_id, v.teamtoken, v.tema.ordning]
        ),
        _alla(200) | {"anonym": 200},
        metod="FORM",
    ),
    "team:teambedomning_submit": Rad(
        # POST-only (tests/team/test_lankar.py posts to it); a GET is 405 for anyone.
        lambda v: reverse(
            "team:teambedomning_submit", args=[v.omgang.pk, v.vc.hsa_id, v.teamtoken]
        ),
        _alla(405) | {"anonym": 405},
        metod="FORM",
    ),
    # The second factor (issue 18): offered to planners and administrators with a password.
    "inloggning:tvasteg_setup": Rad(
        lambda v: reverse("inloggning:tvasteg_setup"),
        dict(INLOGGADE, chef=404, nationell=404),
        metod="FORM",
    ),
    # Without a device to check there is nothing to verify: on to the next page.
    "inloggning:tvasteg_verify": Rad(
        lambda v: reverse("inloggning:tvasteg_verify"), _alla(302), metod="FORM"
    ),
    "inloggning:tvasteg_disable": Rad(
        lambda v: reverse("inloggning:tvasteg_disable"),
        dict(_alla("ok"), chef=404, nationell=404, anonym=302),
        metod="POST",
    ),
}

# Named URLs outside the role matrix, each with the reason.
UNDANTAG = {
    "healthz": "open to the load balancer; tested in tests/test_site.py",
    "metrics": "a bearer token (METRICS_TOKEN), not a role; tested in tests/drift/test_drift.py",
    "login": "the login page itself",
    "logout": "POST-only, any session",
}
UNDANTAG_NAMESPACES = {
    "admin": "Django admin: staff only, its own permission system",
    # The API authenticates by token, not session: its own matrix, generated from its URLs.
    "api-v1": "tested in tests/api/test_behorighet_api.py",
}


def _url_names(patterns=None, namespace: str | None = None) -> set[str]:
    names = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in UNDANTAG_NAMESPACES:
                continue
            names |= _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}:{p.name}" if namespace else p.name)
    return names


def test_every_url_has_a_row():
    namn = _url_names()
    saknas = namn - set(RADER) - set(UNDANTAG)
    assert not saknas, f"URL:er utan rad i behörighetsmatrisen: {sorted(saknas)}"
    assert not (set(RADER) - namn), "Rader för URL:er som inte finns"


@pytest.fixture(scope="module")
def modulvarld(modul_db, tmp_path_factory):
    """The personas and each region's objects, built once per module (see ``modul_db``)."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("behorighet-media")
    with modul_db.unblock(), override_settings(MEDIA_ROOT=media):
        personer = personer_create()
        sidor = _sidor_create(
            personer["vc_stockholm"], personer["vc_uppsala"], personer["planerare"]
        )
    return {"media": media, "sidor": sidor, **personer}


@pytest.fixture
def varld(request, modulvarld, settings):
    settings.MEDIA_ROOT = modulvarld["media"]
    return modul_data(request, modulvarld["sidor"])


# The conftest's personas, regions and units: here the module's own, a fresh copy per test.
for _namn in PERSONER:
    globals()[_namn] = modul_fixture(_namn)


def _sidor_create(vc_stockholm, vc_uppsala, planerare) -> dict:
    """Each region's objects: a unit, an open round with its self-assessment, an action, an archive."""
    from api.services import apitoken_create
    from malbild.models import MalbildVersion
    from uppfoljning.models import FardplanArkiv
    from vardcentraler.models import Sjalvskattning
    from vardcentraler.omgangar import services

    malbild_version = MalbildVersion.objects.get(slug="2024-10-9251")
    tema = malbild_version.teman.order_by("ordning").first()
    kriterium = tema.kriterier.order_by("ordning").first()
    sidor = {}
    for sida, vc in (("egen", vc_stockholm), ("annan", vc_uppsala)):
        omgang = services.omgang_create(
            region=vc.region,
            namn="2026",
            malbild_version=malbild_version,
            period_start=datetime.date(2026, 1, 1),
            period_slut=datetime.date(2026, 12, 31),
            sista_dag=datetime.date(2026, 10, 31),
            anvandare=None,
        )
        sidor[sida] = SimpleNamespace(
            region=vc.region,
            vc=vc,
            omgang=omgang,
            s=Sjalvskattning.objects.get(omgang=omgang, vardcentral=vc),
            version=malbild_version,
            tema=tema,
            kriterium=kriterium,
            atgard=AtgardFactory(vardcentral=vc, omgang=omgang, kriterium=kriterium),
            arkiv=FardplanArkiv.objects.create(omgang=omgang),
            token=apitoken_create(anvandare=planerare, namn="Power BI", giltig_dagar=30)[0],
            **_konto(vc, sida),
            **_team(omgang, vc, kriterium),
        )
    return sidor


def _team(omgang, vc, kriterium) -> dict:
    """The round with "teambedömning", one invited member and one evidence file (issue 15)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from team import services as team_services
    from team.underlag import underlag_create_fil
    from vardcentraler.models import Sjalvskattning

    omgang.teambedomning = True
    omgang.save(update_fields=["teambedomning"])
    s = Sjalvskattning.objects.select_related("omgang").get(omgang=omgang, vardcentral=vc)
    medlem, token = team_services.teammedlem_create(
        sjalvskattning=s, namn="Ada Läkare", yrke="lakare", anvandare=None
    )
    underlag = underlag_create_fil(
        sjalvskattning=s,
        kriterium=kriterium,
        beskrivning="Rutin",
        fil=SimpleUploadedFile("rutin.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
        anvandare=None,
    )
    return {"medlem": medlem, "teamtoken": token, "underlag": underlag}


def _konto(vc, sida: str) -> dict:
    """A verksamhetschef of the unit's region with an open invitation (konton rows)."""
    from django.utils import timezone

    from konton.models import Inbjudan
    from konton.services import token_hash
    from tests.factories import ProfilFactory, UserFactory
    from vardcentraler.models import Profil

    profil = ProfilFactory(
        anvandare=UserFactory(username=f"vc-chef-{sida}@region.test"),
        roll=Profil.Roll.VERKSAMHETSCHEF,
        region=vc.region,
    )
    profil.vardcentraler.set([vc])
    token = f"token-{sida}"
    Inbjudan.objects.create(
        anvandare=profil.anvandare,
        token_hash=token_hash(token),
        giltig_till=timezone.now() + datetime.timedelta(days=1),
    )
    return {"anvandare": profil.anvandare, "inbjudan_token": token}


FALL = [
    (namn, sida, rollnamn)
    for namn, rad in RADER.items()
    for sida in (("egen", "annan") if rad.annan else ("egen",))
    for rollnamn in PERSONAS
]


@pytest.fixture
def personer(planerare, planerare_uppsala, chef, nationell, admin_user):
    return {
        "planerare": planerare,
        "planerare_uppsala": planerare_uppsala,
        "chef": chef,
        "nationell": nationell,
        "admin": admin_user,
        "anonym": None,
    }


@pytest.mark.parametrize(("namn", "sida", "rollnamn"), FALL)
def test_matrix(client, namn, sida, rollnamn, personer, varld):
    rad = RADER[namn]
    forvantat = (rad.egen if sida == "egen" else rad.annan)[rollnamn]
    user = personer[rollnamn]
    if user is not None:
        client.force_login(user)
    url = rad.url(varld[sida])
    if rad.metod in ("GET", "FORM"):
        response = client.get(url)
        assert response.status_code == forvantat, (namn, sida, rollnamn, response.status_code)
        if user is None and forvantat == 302:
            assert response["Location"].startswith(reverse("login"))
        return
    response = client.post(url, {})
    if forvantat == "ok":
        assert response.status_code in (302, 400, 409, 422), (namn, sida, rollnamn, response)
    else:
        assert response.status_code == forvantat, (namn, sida, rollnamn, response.status_code)
    if user is None:
        assert response["Location"].startswith(reverse("login"))
    elif forvantat != 404:
        assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    "namn",
    [n for n, r in RADER.items() if r.metod == "GET"],
)
def test_read_views_refuse_post(client, admin_user, namn, varld):
    # A read view answers POST with 405 (never a write, never a 500), to anyone who may see it.
    client.force_login(admin_user)
    status = client.post(RADER[namn].url(varld["egen"])).status_code
    assert status in (405, 404), (namn, status)


def test_kan_skriva_asks_about_the_object(chef, planerare, planerare_uppsala, varld):
    # A verksamhetschef may change their own unit's assessment, not another unit's in the region.
    from tests.factories import SjalvskattningFactory, VardcentralFactory
    from vardcentraler import behorighet

    egen = varld["egen"].s
    granne = SjalvskattningFactory(
        omgang=egen.omgang, vardcentral=VardcentralFactory(region=egen.omgang.region)
    )
    assert behorighet.kan_skriva(chef, egen)
    assert not behorighet.kan_skriva(chef, granne)
    assert behorighet.kan_skriva(planerare, granne)
    assert not behorighet.kan_skriva(planerare_uppsala, egen)


def test_egen_vardcentral_only_for_a_manager_of_one_unit(chef, planerare, nationell, varld):
    # A manager of exactly one unit follows up on that unit's page; anyone else has none.
    from tests.factories import VardcentralFactory
    from vardcentraler import behorighet

    assert behorighet.egen_vardcentral(chef) == varld["egen"].vc
    assert behorighet.egen_vardcentral(planerare) is None
    assert behorighet.egen_vardcentral(nationell) is None
    andra = VardcentralFactory(region=varld["egen"].region)
    chef.profil.vardcentraler.add(andra)
    assert behorighet.egen_vardcentral(chef) is None


def test_the_second_factor_is_offered_to_planners_and_admins_and_required_of_admins(
    planerare, chef, nationell, admin_user, settings
):
    from django.contrib.auth.models import AnonymousUser

    from vardcentraler import behorighet

    assert [behorighet.tvasteg_erbjuds(u) for u in (planerare, chef, nationell, admin_user)] == [
        True,
        False,
        False,
        True,
    ]
    assert not behorighet.tvasteg_erbjuds(AnonymousUser())
    settings.TVASTEG_KRAVS_FOR_ADMIN = True
    assert [behorighet.tvasteg_kravs(u) for u in (planerare, admin_user)] == [False, True]
    # An account without a local password (single sign-on) gets its factor there.
    admin_user.set_unusable_password()
    assert not behorighet.tvasteg_kravs(admin_user)
    assert not behorighet.tvasteg_erbjuds(admin_user)
    settings.TVASTEG_KRAVS_FOR_ADMIN = False  # DEBUG without OTP_REQUIRED_FOR_ADMINS
    admin_user.set_password("x")
    assert not behorighet.tvasteg_kravs(admin_user)


def test_practice_examples_a_planner_adds_and_whose_own_examples_a_user_sees(
    planerare, planerare_uppsala, chef, nationell, admin_user, stockholm, uppsala
):
    from vardcentraler import behorighet

    assert behorighet.kan_lagga_till_exempel(planerare)
    assert behorighet.kan_lagga_till_exempel(planerare_uppsala)
    for user in (chef, nationell, admin_user):
        assert not behorighet.kan_lagga_till_exempel(user)
    # The region's own examples: the planner's region, the verksamhetschef's single region.
    assert behorighet.exempel_region_id(planerare) == stockholm.pk
    assert behorighet.exempel_region_id(planerare_uppsala) == uppsala.pk
    assert behorighet.exempel_region_id(chef) == stockholm.pk
    assert behorighet.exempel_region_id(nationell) is None
    assert behorighet.exempel_region_id(admin_user) is None
