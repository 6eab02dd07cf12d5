"""Personal links: expired, revoked, of another round or unit → 404 and nothing stored."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from team.lankar import MAX_MISSLYCKADE
from team.models import Teamlank, Teammedlem, Teamsvar
from tests.factories import VardcentralFactory
from vardcentraler.models import Sjalvskattning

from .conftest import _omgang

pytestmark = pytest.mark.django_db


def _tema_url(omgang, hsa_id, token, ordning=1):
    return reverse("team:teambedomning_tema", args=[omgang.pk, hsa_id, token, ordning])


def _post_tema(client, omgang, hsa_id, token, malbild_version):
    tema = malbild_version.teman.get(ordning=1)
    data = {f"k{k.pk}-svar": "2" for k in tema.kriterier.all()}
    return client.post(_tema_url(omgang, hsa_id, token), data)


def test_a_valid_link_rates_and_stores(client, s, bjud_in, malbild_version):
    medlem, token = bjud_in()
    assert Teamlank.objects.get(medlem=medlem).token_hash != token  # only the hash is kept
    response = _post_tema(client, s.omgang, s.vardcentral.hsa_id, token, malbild_version)
    assert response.status_code == 302
    assert (
        Teamsvar.objects.filter(medlem=medlem).count()
        == malbild_version.teman.get(ordning=1).kriterier.count()
    )


def test_expired_link_is_404_and_stores_nothing(client, s, bjud_in, malbild_version):
    medlem, token = bjud_in()
    Teamlank.objects.filter(medlem=medlem).update(
        giltig_till=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert (
        client.get(
            reverse("team:teambedomning_detail", args=[s.omgang_id, s.vardcentral.hsa_id, token])
        ).status_code
        == 404
    )
    assert (
        _post_tema(client, s.omgang, s.vardcentral.hsa_id, token, malbild_version).status_code
        == 404
    )
    assert not Teamsvar.objects.exists()


def test_replaced_link_is_revoked_for_good(client, s, bjud_in, malbild_version):
    from team import services

    medlem, gammal = bjud_in()
    _, ny = services.teamlank_replace(sjalvskattning=s, medlem_pk=medlem.pk)
    assert ny != gammal
    assert (
        _post_tema(client, s.omgang, s.vardcentral.hsa_id, gammal, malbild_version).status_code
        == 404
    )
    assert not Teamsvar.objects.exists()
    assert (
        _post_tema(client, s.omgang, s.vardcentral.hsa_id, ny, malbild_version).status_code == 302
    )


def test_removed_member_link_is_404(client, s, bjud_in, malbild_version):
    from team import services

    medlem, token = bjud_in()
    services.teammedlem_remove(sjalvskattning=s, medlem_pk=medlem.pk)
    assert (
        _post_tema(client, s.omgang, s.vardcentral.hsa_id, token, malbild_version).status_code
        == 404
    )
    assert not Teamsvar.objects.exists()


def test_link_of_another_round_or_unit_is_404(client, s, bjud_in, malbild_version, vc_stockholm):
    medlem, token = bjud_in()
    annan_omgang = _omgang(vc_stockholm, namn="2027", start=datetime.date(2027, 1, 1))
    granne = VardcentralFactory(region=vc_stockholm.region)
    Sjalvskattning.objects.create(omgang=s.omgang, vardcentral=granne)
    assert (
        _post_tema(client, annan_omgang, s.vardcentral.hsa_id, token, malbild_version).status_code
        == 404
    )
    assert _post_tema(client, s.omgang, granne.hsa_id, token, malbild_version).status_code == 404
    assert not Teamsvar.objects.exists()


def test_tampered_token_is_404(client, s, bjud_in, malbild_version):
    _, token = bjud_in()
    falsk = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert (
        _post_tema(client, s.omgang, s.vardcentral.hsa_id, falsk, malbild_version).status_code
        == 404
    )
    assert not Teamsvar.objects.exists()


def test_round_without_team_assessment_is_404(client, s, bjud_in, malbild_version):
    _, token = bjud_in()
    s.omgang.teambedomning = False
    s.omgang.save(update_fields=["teambedomning"])
    assert (
        _post_tema(client, s.omgang, s.vardcentral.hsa_id, token, malbild_version).status_code
        == 404
    )


def test_failed_lookups_are_rate_limited(client, s, bjud_in, malbild_version):
    _, token = bjud_in()
    url = reverse("team:teambedomning_detail", args=[s.omgang_id, s.vardcentral.hsa_id, "fel"])
    for _ in range(MAX_MISSLYCKADE):
        assert client.get(url).status_code == 404
    # Past the limit even a valid link waits: no guessing at speed.
    giltig = reverse("team:teambedomning_detail", args=[s.omgang_id, s.vardcentral.hsa_id, token])
    response = client.get(giltig)
    assert response.status_code == 429
    assert "För många försök" in response.content.decode()


def test_member_cannot_see_others_until_submitted(client, s, bjud_in, malbild_version):
    from team import services

    a, token_a = bjud_in("Ada", "lakare")
    b, token_b = bjud_in("Bo", "psykolog")
    kriterier = list(malbild_version.teman.get(ordning=1).kriterier.all())
    services.teamsvar_save_many(
        medlem=b,
        svar={k.pk: ("4", "Bos hemliga kommentar") for k in kriterier},
        kriterier=kriterier,
    )
    Teammedlem.objects.filter(pk=b.pk).update(inskickad=timezone.now())
    sida = client.get(
        reverse("team:teambedomning_detail", args=[s.omgang_id, s.vardcentral.hsa_id, token_a])
    )
    html = sida.content.decode()
    assert "Teamets skattningar hittills" not in html and "Psykolog" not in html
    tema = client.get(_tema_url(s.omgang, s.vardcentral.hsa_id, token_a)).content.decode()
    assert "Bos hemliga kommentar" not in tema and "Psykolog" not in tema


def test_submit_needs_every_criterion_and_then_locks(client, s, bjud_in, kriterier):
    from team import services

    medlem, token = bjud_in()
    url = reverse("team:teambedomning_submit", args=[s.omgang_id, s.vardcentral.hsa_id, token])
    response = client.post(url)
    assert response.status_code == 422
    assert "Du har skattat 0 av" in response.content.decode()
    services.teamsvar_save_many(
        medlem=medlem, svar={k.pk: ("vet_ej", "") for k in kriterier}, kriterier=kriterier
    )
    assert client.post(url).status_code == 302
    medlem.refresh_from_db()
    assert medlem.inskickad is not None
    sida = client.get(
        reverse("team:teambedomning_detail", args=[s.omgang_id, s.vardcentral.hsa_id, token])
    )
    assert "Teamets skattningar hittills" in sida.content.decode()
    with pytest.raises(Exception, match="redan skickat in"):
        services.teamsvar_save_many(medlem=medlem, svar={}, kriterier=kriterier)


def test_bad_rating_gives_swedish_error_and_stores_nothing(client, s, bjud_in, malbild_version):
    _, token = bjud_in()
    tema = malbild_version.teman.get(ordning=1)
    forsta, andra = list(tema.kriterier.all())[:2]
    response = client.post(
        _tema_url(s.omgang, s.vardcentral.hsa_id, token),
        {f"k{forsta.pk}-svar": "2", f"k{andra.pk}-svar": "9"},
    )
    assert response.status_code == 422
    assert "Välj en nivå mellan 1 och 4" in response.content.decode()
    assert not Teamsvar.objects.exists()


def test_invite_validates(client, chef, s):
    client.force_login(chef)
    url = reverse("team:teammedlem_create", args=[s.omgang_id, s.vardcentral.hsa_id])
    response = client.post(url, {"namn": "", "yrke": "astronaut"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ange medlemmens namn." in html and "Välj en profession i listan." in html
    assert not Teammedlem.objects.exists()
    response = client.post(url, {"namn": "Ada", "yrke": "lakare"}, follow=True)
    html = response.content.decode()
    assert "Ada är inbjuden" in html and "/teambedomning/" in html
    # The link is shown once only.
    assert (
        "/teambedomning/"
        not in client.get(
            reverse("team:team_list", args=[s.omgang_id, s.vardcentral.hsa_id])
        ).content.decode()
    )
