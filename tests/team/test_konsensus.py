"""The spread, its flags and agreement figure; the consensus written as the unit's answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from team import selectors, services
from team.models import Teammedlem
from vardcentraler.models import Svar

pytestmark = pytest.mark.django_db


@pytest.fixture
def tema1(malbild_version):
    return list(malbild_version.teman.get(ordning=1).kriterier.order_by("ordning"))


def _skatta(medlem, kriterier, nivaer, skicka=True):
    services.teamsvar_save_many(
        medlem=medlem,
        svar={
            k.pk: (str(n), f"{medlem.namn} om {k.kod}")
            for k, n in zip(kriterier, nivaer, strict=False)
        },
        kriterier=kriterier,
    )
    if skicka:
        Teammedlem.objects.filter(pk=medlem.pk).update(inskickad=timezone.now())


@pytest.fixture
def team4(bjud_in, tema1):
    """Four members; the psychologist rates every criterion of theme 1 two levels above the rest
    (the doctor 2, the nurse 2, the kurator "vet ej" on the first, else 2)."""
    a, _ = bjud_in("Ada Ek", "lakare")
    b, _ = bjud_in("Bo Lind", "sjukskoterska")
    c, _ = bjud_in("Cia Berg", "psykolog")
    d, _ = bjud_in("Dan Holm", "kurator")
    n = len(tema1)
    _skatta(a, tema1, [2] * n)
    _skatta(b, tema1, [2] * n)
    _skatta(c, tema1, [4] * n)
    _skatta(d, tema1, ["vet_ej"] + [2] * (n - 1))
    return a, b, c, d


def test_flags_and_agreement(s, team4, tema1):
    assert len(tema1) >= 2
    t = selectors.spridning_for(s, med_namn=True)[0]
    forsta = t.kriterier[0]
    assert [kol.antal for kol in forsta.kolumner] == [0, 2, 0, 1, 1]  # 1, 2, 3, 4, vet ej
    assert forsta.flagga_spridning  # 2 and 4: two levels apart
    assert forsta.yrkesskillnader == [{"yrke": "Psykolog", "riktning": "högre"}]
    assert t.matbara == len(tema1) and t.overens == 0 and t.procent == 0
    # Theme 2 has no submitted ratings: nothing measurable, no flags.
    t2 = selectors.spridning_for(s, med_namn=True)[1]
    assert t2.matbara == 0 and t2.procent is None and t2.flaggor == 0


def test_close_ratings_agree_and_drafts_do_not_count(s, bjud_in, tema1):
    a, _ = bjud_in("Ada", "lakare")
    b, _ = bjud_in("Bo", "psykolog")
    c, _ = bjud_in("Cia", "kurator")
    _skatta(a, tema1, [2] * len(tema1))
    _skatta(b, tema1, [3] * len(tema1))
    _skatta(c, tema1, [4] * len(tema1), skicka=False)  # a draft: not counted
    t = selectors.spridning_for(s, med_namn=False)[0]
    assert t.procent == 100 and t.flaggor == 0
    assert all(sk.namn == "" and sk.kommentar == "" for k in t.kriterier for sk in k.skattningar)


def test_spread_query_count_does_not_grow_with_the_team(s, team4, bjud_in, tema1):
    with CaptureQueriesContext(connection) as fyra:
        selectors.spridning_for(s, med_namn=True, med_svar=True)
    for i in range(6):
        m, _ = bjud_in(f"X{i}", "annan")
        _skatta(m, tema1, [3] * len(tema1))
    with CaptureQueriesContext(connection) as tio:
        selectors.spridning_for(s, med_namn=True, med_svar=True)
    assert len(fyra) == len(tio) == 3


def test_consensus_page_shows_spread_flags_and_saves_answers(client, chef, s, team4, tema1):
    client.force_login(chef)
    tema = tema1[0].tema
    url = reverse("team:konsensus_update", args=[s.omgang_id, s.vardcentral.hsa_id, tema.pk])
    html = client.get(url).content.decode()
    assert "Skattningarna skiljer sig 2 nivåer eller mer" in html
    assert "Psykolog skattar högre än övriga" in html
    assert "Cia Berg" in html and "Cia Berg om" in html  # the unit sees names and comments
    assert "<svg" in html and "style=" not in html
    data = {}
    for k in tema1:
        data[f"k{k.pk}-svar"] = "2"
        data[f"k{k.pk}-motivering"] = "Vi enades efter diskussion."
        data[f"k{k.pk}-version"] = "0"
    response = client.post(url, data)
    assert response.status_code == 302
    svar = Svar.objects.filter(sjalvskattning=s)
    assert svar.count() == len(tema1)
    assert {(x.typ, x.niva, x.motivering) for x in svar} == {
        ("niva", 2, "Vi enades efter diskussion.")
    }
    # A stale version (someone changed it since) is a conflict: nothing changes.
    data[f"k{tema1[0].pk}-svar"] = "3"
    response = client.post(url, data)
    assert response.status_code == 409
    assert "har ändrats av någon annan" in response.content.decode()
    assert Svar.objects.get(sjalvskattning=s, kriterium=tema1[0]).niva == 2


def test_planner_sees_spread_without_names(s, team4, tema1, planerare, client):
    from django.template.loader import render_to_string

    spridning = selectors.teamspridning_for_granskning(s)
    t = spridning[tema1[0].tema_id]
    html = render_to_string("team/_spridning_tema.html", {"t": t})
    assert "Teamet var överens om 0 av" in html
    for namn in ("Ada Ek", "Bo Lind", "Cia Berg", "Dan Holm", "Ek om"):
        assert namn not in html
    client.force_login(planerare)
    assert (
        client.get(
            reverse("team:konsensus_list", args=[s.omgang_id, s.vardcentral.hsa_id])
        ).status_code
        == 404
    )


def test_no_team_round_has_no_spread(s):
    s.omgang.teambedomning = False
    assert selectors.teamspridning_for_granskning(s) is None


def test_planner_switches_team_assessment(client, planerare, s):
    client.force_login(planerare)
    url = reverse("team:omgang_teambedomning_update", args=[s.omgang_id])
    assert client.post(url, {}).status_code == 302
    s.omgang.refresh_from_db()
    assert s.omgang.teambedomning is False
    client.post(url, {"teambedomning": "on"})
    s.omgang.refresh_from_db()
    assert s.omgang.teambedomning is True
