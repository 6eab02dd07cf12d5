"""The region dashboard's cached rendering (``region.region_oversikt_nyckel``): every write
that changes what the dashboard shows gives a new key, through the real services and views.

Each test renders the dashboard twice first (the second must come from the cache, or the
test would prove nothing), writes, and renders again: the change must be visible. Leaving
the written input out of the fingerprint makes the test fail (the stale page comes back).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from malbild.models import Kriterium
from tests.conftest import chef_create
from tests.uppfoljning.data import enheter_skapa, malnivaer_skapa, omgang_skapa, svar_skapa
from uppfoljning.selectors import region as region_selectors
from vardcentraler.models import Atgard, Kommun, Malniva, Sjalvskattning, Svar
from vardcentraler.omgangar.services import malniva_update
from vardcentraler.omgangar.services_atgard import AtgardData, atgard_create, atgard_update
from vardcentraler.omgangar.services_granskning import (
    sjalvskattning_approve,
    sjalvskattning_reopen,
    sjalvskattning_submit,
)
from vardcentraler.organisation.importer import import_apply

pytestmark = pytest.mark.django_db

URL = "/uppfoljning/region/01/"
S = Sjalvskattning.Status


@pytest.fixture
def data(stockholm, vc_stockholm):
    """Eight units; round 2025 submitted by all, round 2026: six submitted, one approved,
    one in progress with every criterion answered, and ``vc_stockholm`` not started."""
    enheter = [vc_stockholm, *enheter_skapa(stockholm, 7)]
    o1, o2 = omgang_skapa(stockholm, 2025), omgang_skapa(stockholm, 2026)
    malnivaer_skapa(o1, 3)
    malnivaer_skapa(o2, 3)
    svar_skapa(o1, enheter, seed=5)
    svar_skapa(o2, enheter[1:6], seed=6, niva=2)
    svar_skapa(o2, enheter[6:7], seed=7, niva=4, status=S.GODKAND)
    svar_skapa(o2, enheter[7:], seed=8, niva=3, status=S.PAGAR)
    Sjalvskattning.objects.create(omgang=o2, vardcentral=vc_stockholm)  # as omgang_create does
    return {"enheter": enheter, "o1": o1, "o2": o2}


@pytest.fixture
def visa(client, planerare, monkeypatch):
    """GET the dashboard: (its HTML, whether the selector ran, i.e. the cache missed)."""
    anrop = []
    riktig = region_selectors.region_oversikt_get
    monkeypatch.setattr(
        region_selectors,
        "region_oversikt_get",
        lambda **kw: anrop.append(1) or riktig(**kw),
    )
    client.force_login(planerare)

    def _visa(**params):
        fore = len(anrop)
        response = client.get(URL, params)
        assert response.status_code == 200
        return response.content.decode(), len(anrop) > fore

    return _visa


def _cachad(visa, **params) -> str:
    """Render twice; the second must be a cache hit with the same page."""
    html, beraknad = visa(**params)
    igen, beraknad_igen = visa(**params)
    assert not beraknad_igen, "the second rendering must come from the cache"
    assert _utan_token(igen) == _utan_token(html)
    return html


def _utan_token(html: str) -> str:
    return re.sub(r'(nonce="|X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]*', "", html)


def _rad(html: str, namn: str) -> str:
    """The heatmap row of the unit named ``namn``."""
    heatmap = html[html.index('class="table heatmap"') :]
    match = re.search(
        rf'<tr><th scope="row"><a href="[^"]*">{re.escape(namn)}</a>.*?</tr>', heatmap
    )
    assert match, f"no heatmap row for {namn}"
    return match.group(0)


def _status(html: str, namn: str) -> str:
    return re.search(r"<td>([^<]*)(?:<span|</td>)", _rad(html, namn).split("</td>", 7)[-1]).group(1)


def test_first_answer_moves_not_started_to_in_progress(client, visa, data, planerare):
    """Not started → in progress, through the autosave view (as a unit's user saves)."""
    vc, o2 = data["enheter"][0], data["o2"]
    html = _cachad(visa)
    assert "Ej påbörjad" in _rad(html, vc.namn)
    kriterium = Kriterium.objects.for_version(o2.malbild_version).first()
    p = f"k{kriterium.pk}"
    svar = client.post(
        reverse("vardcentraler:svar_save", args=[o2.pk, vc.hsa_id, kriterium.pk]),
        {
            f"{p}-svar": "2",
            f"{p}-motivering": "Rutin finns.",
            f"{p}-underlag": "",
            f"{p}-version": "0",
        },
        headers={"HX-Request": "true"},
    )
    assert svar.status_code == 200
    assert Sjalvskattning.objects.get(omgang=o2, vardcentral=vc).status == S.PAGAR
    html, beraknad = visa()
    assert beraknad and "Pågår" in _rad(html, vc.namn) and "Ej påbörjad" not in _rad(html, vc.namn)


def test_submit_shows_the_levels(visa, data, planerare):
    vc, o2 = data["enheter"][7], data["o2"]
    html = _cachad(visa)
    assert "Pågår" in _rad(html, vc.namn) and "visar ej inskickad" in _rad(html, vc.namn)
    sk = Sjalvskattning.objects.get(omgang=o2, vardcentral=vc)
    sjalvskattning_submit(sjalvskattning=sk, anvandare=planerare)
    html, beraknad = visa()
    rad = _rad(html, vc.namn)
    assert beraknad and "Inskickad" in rad and ">3</td>" in rad and "visar" not in rad


def test_approve_and_reopen(visa, data, planerare):
    vc, o2 = data["enheter"][1], data["o2"]
    sk = Sjalvskattning.objects.get(omgang=o2, vardcentral=vc)
    assert "Inskickad" in _rad(_cachad(visa), vc.namn)
    sjalvskattning_approve(sjalvskattning=sk, anvandare=planerare)
    assert "Godkänd" in _rad(_cachad(visa), vc.namn)
    sk.refresh_from_db()
    sjalvskattning_reopen(sjalvskattning=sk, anledning="Fel i tema 2.", anvandare=planerare)
    html, beraknad = visa()
    assert beraknad and "Pågår" in _rad(html, vc.namn) and "Godkänd" not in _rad(html, vc.namn)


def test_a_changed_target_changes_header_and_gaps(visa, data, planerare):
    o2 = data["o2"]
    html = _cachad(visa)
    assert "mål 3</span>" in html and "mål 4</span>" not in html
    nivaer = {m.kriterium_id: 4 for m in Malniva.objects.filter(omgang=o2)}
    assert malniva_update(omgang=o2, nivaer=nivaer, anvandare=planerare) == len(nivaer)
    html, beraknad = visa()
    assert beraknad and "mål 4</span>" in html and "mål 3</span>" not in html


def _import(region, *rader: str) -> None:
    rubrik = "hsa_id;namn;kommunkod;driftsform;listade_patienter;aktiv\n"
    innehall = (rubrik + "\n".join(rader) + "\n").encode()
    import_apply(region=region, filnamn="lista.csv", innehall=innehall)


def test_a_unit_renamed_moved_or_added_by_import(visa, data, stockholm):
    vc = data["enheter"][2]
    html = _cachad(visa)
    assert vc.namn in html and "Vårdcentralen Nytt Namn" not in html
    ny_kommun = Kommun.objects.filter(region=stockholm).exclude(pk=vc.kommun_id).last()
    assert ny_kommun.namn not in _rad(html, vc.namn)
    _import(
        stockholm,
        f"{vc.hsa_id};Vårdcentralen Nytt Namn;{ny_kommun.kod};{vc.driftsform};"
        f"{vc.listade_patienter};ja",
    )
    html, beraknad = visa()
    assert beraknad and "Vårdcentralen Nytt Namn" in html
    assert ny_kommun.namn in _rad(html, "Vårdcentralen Nytt Namn")
    assert "Visar 8 vårdcentraler" in _cachad(visa)

    _import(stockholm, f"SE2321000016-NY1;Vårdcentralen Tillkommen;{ny_kommun.kod};privat;4000;ja")
    html, beraknad = visa()
    assert beraknad and "Visar 9 vårdcentraler" in html
    assert "Ej påbörjad" in _rad(html, "Vårdcentralen Tillkommen")


def test_a_unit_whose_driftsform_changes_leaves_the_filter(visa, data, stockholm):
    vc = data["enheter"][1]  # regional (enheter_skapa alternates, starting with regional)
    assert vc.driftsform == "regional"
    assert vc.namn in _cachad(visa, driftsform="regional")
    _import(
        stockholm,
        f"{vc.hsa_id};{vc.namn};{vc.kommun.kod};privat;{vc.listade_patienter};ja",
    )
    html, beraknad = visa(driftsform="regional")
    assert beraknad and vc.namn not in html


def test_overdue_actions_follow_their_writes_and_the_date(visa, data, planerare, monkeypatch):
    vc, o2 = data["enheter"][7], data["o2"]
    sk = Sjalvskattning.objects.get(omgang=o2, vardcentral=vc)
    svar = Svar.objects.filter(sjalvskattning=sk).select_related("kriterium").first()
    idag = timezone.localdate()
    varden = dict(
        kriterium=svar.kriterium,
        beskrivning="Inför rutin för uppföljning",
        ansvarig="Anna Ansvarig",
        start=idag,
        klar_senast=idag + datetime.timedelta(days=10),
        status=Atgard.Status.PLANERAD,
        mal_niva=4,
    )
    assert "Inför rutin" not in _cachad(visa)
    atgard = atgard_create(sjalvskattning=sk, data=AtgardData(**varden), anvandare=planerare)
    assert "Inför rutin" not in _cachad(visa)  # not overdue yet
    monkeypatch.setattr(timezone, "localdate", lambda *a: idag + datetime.timedelta(days=11))
    html, beraknad = visa()
    assert beraknad and "Inför rutin för uppföljning" in html  # overdue from today
    assert "Inför rutin" in _cachad(visa)
    atgard_update(
        sjalvskattning=sk,
        atgard=atgard,
        data=AtgardData(**{**varden, "status": Atgard.Status.KLAR}),
        anvandare=planerare,
    )
    html, beraknad = visa()
    assert beraknad and "Inför rutin" not in html


def test_sorting_colour_and_round_are_part_of_the_key(visa, data):
    gap = _cachad(visa)
    namn = _cachad(visa, sortera="namn")
    assert 'aria-sort="ascending"' in namn and gap != namn
    niva = _cachad(visa, farg="niva")
    assert "heat--" in niva and "Färga efter gap till målnivån" in niva
    forra = _cachad(visa, omgang=str(data["o1"].pk))
    assert "omgång 01-2025" in forra and "omgång 01-2025" not in gap


def test_a_user_sees_only_the_own_scope_from_the_cache(client, visa, data, planerare_uppsala):
    """A planner's cached page never reaches a manager of one unit in the same region, nor
    anyone in another region."""
    html = _cachad(visa)
    assert "Visar 8 vårdcentraler" in html
    chef = chef_create(data["enheter"][3], "chef-cache")
    client.force_login(chef)
    html = client.get(URL).content.decode()
    assert "Visar 1 vårdcentral," in html and data["enheter"][4].namn not in html
    client.force_login(planerare_uppsala)
    assert client.get(URL).status_code == 404


def test_the_fingerprint_changes_with_a_draft_status_but_not_with_a_draft_answer(visa, data):
    """A draft's answers are not shown (only submitted and approved ones count), so saving one
    keeps the cached page; its status is shown, so a status write does not."""
    vc, o2 = data["enheter"][7], data["o2"]
    _cachad(visa)
    sk = Sjalvskattning.objects.get(omgang=o2, vardcentral=vc)
    Svar.objects.filter(sjalvskattning=sk).update(niva=1)  # no summary: it is a draft
    _html, beraknad = visa()
    assert not beraknad
    Sjalvskattning.objects.filter(pk=sk.pk).update(status=S.ATERSAND)  # past every service
    html, beraknad = visa()
    assert beraknad and "Återsänd" in _rad(html, vc.namn)


def test_the_filter_choices_follow_units_outside_the_filter(visa, data, stockholm):
    """The municipality menu lists those of all the user's units, also the filtered out."""
    inne, ute = data["enheter"][1], data["enheter"][2]
    assert inne.kommun_id != ute.kommun_id
    anvanda = {vc.kommun_id for vc in data["enheter"]}
    ny_kommun = Kommun.objects.filter(region=stockholm).exclude(pk__in=anvanda).first()
    html = _cachad(visa, kommun=inne.kommun.kod)
    assert f'<option value="{ny_kommun.kod}"' not in html
    _import(
        stockholm,
        f"{ute.hsa_id};{ute.namn};{ny_kommun.kod};{ute.driftsform};{ute.listade_patienter};ja",
    )
    html, beraknad = visa(kommun=inne.kommun.kod)
    assert beraknad and f'<option value="{ny_kommun.kod}"' in html
