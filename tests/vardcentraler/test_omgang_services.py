"""Services for rounds, targets, answers, actions and review: validation, atomicity, history."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from malbild.models import Kriterium, MalbildVersion
from tests.factories import VardcentralFactory
from vardcentraler.models import Atgard, Omgang, Sjalvskattning
from vardcentraler.omgangar import services, services_atgard, services_granskning

pytestmark = pytest.mark.django_db


def omgang_create(region, version, user, namn="2026", start=datetime.date(2026, 1, 1)):
    return services.omgang_create(
        region=region,
        namn=namn,
        malbild_version=version,
        period_start=start,
        period_slut=start.replace(month=12, day=31),
        sista_dag=start.replace(month=10, day=31),
        anvandare=user,
    )


def svar(kriterium, typ="niva", niva=2, motivering="", underlag="", version=0):
    return services.SvarData(
        kriterium=kriterium,
        typ=typ,
        niva=niva if typ == "niva" else None,
        motivering=motivering,
        underlag=underlag,
        version=version,
    )


@pytest.fixture
def sjalvskattning(omgang, vc_stockholm):
    return Sjalvskattning.objects.select_related("omgang", "vardcentral").get(
        omgang=omgang, vardcentral=vc_stockholm
    )


def test_opening_a_round_creates_targets_assessments_and_locks_the_version(
    stockholm, malbild_version, planerare, vc_stockholm
):
    VardcentralFactory(region=stockholm, aktiv=False)
    omgang = omgang_create(stockholm, malbild_version, planerare)
    antal = Kriterium.objects.for_version(malbild_version).count()
    assert antal == 37
    assert set(omgang.malnivaer.values_list("niva", flat=True)) == {4}
    assert omgang.malnivaer.count() == antal
    # one per active unit only
    assert list(omgang.sjalvskattningar.values_list("vardcentral", flat=True)) == [vc_stockholm.pk]
    malbild_version.refresh_from_db()
    assert malbild_version.last


def test_targets_carry_over_to_the_next_round(stockholm, malbild_version, planerare, vc_stockholm):
    forsta = omgang_create(
        stockholm, malbild_version, planerare, namn="2025", start=datetime.date(2025, 1, 1)
    )
    k = forsta.malnivaer.first().kriterium
    services.malniva_update(omgang=forsta, nivaer={k.pk: 2}, anvandare=planerare)
    andra = omgang_create(stockholm, malbild_version, planerare)
    assert andra.malnivaer.get(kriterium=k).niva == 2
    assert andra.malnivaer.exclude(kriterium=k).filter(niva=4).count() == 36


def test_a_round_name_is_unique_per_region_and_periods_are_ordered(
    stockholm, malbild_version, planerare, omgang
):
    with pytest.raises(ValidationError) as exc:
        services.omgang_create(
            region=stockholm,
            namn="2026",
            malbild_version=malbild_version,
            period_start=datetime.date(2027, 1, 1),
            period_slut=datetime.date(2026, 1, 1),
            sista_dag=datetime.date(2026, 1, 1),
            anvandare=planerare,
        )
    assert set(exc.value.message_dict) == {"namn", "period_slut", "sista_dag"}
    assert Omgang.objects.count() == 1


def test_a_target_outside_the_scale_changes_nothing(omgang, planerare, kriterier):
    with pytest.raises(ValidationError):
        services.malniva_update(
            omgang=omgang, nivaer={kriterier[0].pk: 3, kriterier[1].pk: 7}, anvandare=planerare
        )
    assert set(omgang.malnivaer.values_list("niva", flat=True)) == {4}


def test_first_save_starts_the_assessment_and_writes_history(sjalvskattning, kriterier, chef):
    s = services.svar_save(
        sjalvskattning=sjalvskattning,
        data=svar(kriterier[0], niva=3, motivering="Rutin finns"),
        anvandare=chef,
    )
    assert s.version == 1 and s.andrad_av == chef
    sjalvskattning.refresh_from_db()
    assert sjalvskattning.status == Sjalvskattning.Status.PAGAR
    assert sjalvskattning.senast_andrad is not None
    rec = s.history.get()
    assert rec.history_user == chef and rec.niva == 3


def test_a_stale_save_is_refused_and_shows_the_other_value(
    sjalvskattning, kriterier, chef, planerare
):
    k = kriterier[0]
    services.svar_save(sjalvskattning=sjalvskattning, data=svar(k, niva=2), anvandare=chef)
    services.svar_save(
        sjalvskattning=sjalvskattning, data=svar(k, niva=3, version=1), anvandare=planerare
    )
    with pytest.raises(services.SvarKonflikt) as konflikt:
        services.svar_save(
            sjalvskattning=sjalvskattning, data=svar(k, niva=1, version=1), anvandare=chef
        )
    assert konflikt.value.svar.niva == 3 and konflikt.value.svar.version == 2
    assert sjalvskattning.svar.get(kriterium=k).niva == 3
    # Keep mine: re-save on the other person's version.
    services.svar_save(
        sjalvskattning=sjalvskattning, data=svar(k, niva=1, version=2), anvandare=chef
    )
    assert sjalvskattning.svar.get(kriterium=k).niva == 1


def test_the_same_value_twice_is_not_a_conflict(sjalvskattning, kriterier, chef):
    k = kriterier[0]
    services.svar_save(sjalvskattning=sjalvskattning, data=svar(k, niva=2), anvandare=chef)
    again = services.svar_save(sjalvskattning=sjalvskattning, data=svar(k, niva=2), anvandare=chef)
    assert again.version == 1
    assert again.history.count() == 1


def test_motivation_before_a_level_is_kept(sjalvskattning, kriterier, chef):
    s = services.svar_save(
        sjalvskattning=sjalvskattning,
        data=svar(kriterier[0], typ="", motivering="Vi har börjat"),
        anvandare=chef,
    )
    assert s.motivering == "Vi har börjat" and not s.ar_besvarat


@pytest.mark.parametrize(
    ("data", "falt"),
    [
        (dict(typ="niva", niva=5), "svar"),
        (dict(typ="niva", niva=0), "svar"),
        (dict(typ="kanske", niva=None), "svar"),
        (dict(typ="vet_ej", niva=2), "svar"),
        (dict(typ="niva", niva=2, motivering="x" * 4001), "motivering"),
        (dict(typ="niva", niva=2, underlag="x" * 2001), "underlag"),
    ],
)
def test_bad_answers_are_refused_with_a_swedish_message(
    sjalvskattning, kriterier, chef, data, falt
):
    d = services.SvarData(
        kriterium=kriterier[0],
        typ=data["typ"],
        niva=data["niva"],
        motivering=data.get("motivering", ""),
        underlag=data.get("underlag", ""),
        version=0,
    )
    with pytest.raises(ValidationError) as exc:
        services.svar_save(sjalvskattning=sjalvskattning, data=d, anvandare=chef)
    assert falt in exc.value.message_dict
    assert sjalvskattning.svar.count() == 0
    sjalvskattning.refresh_from_db()
    assert sjalvskattning.status == Sjalvskattning.Status.EJ_PABORJAD


def test_a_criterion_of_another_version_is_refused(sjalvskattning, chef, malbild_version):
    annan = MalbildVersion.objects.create(
        slug="test-2",
        nummer=9,
        titel="T",
        utgivare="U",
        artikelnummer="1",
        publicerad=datetime.date(2027, 1, 1),
    )
    tema = annan.teman.create(
        ordning=1, kod="t", kortnamn="T", malbild="M", forklaring="F", konsensus_procent=90
    )
    fremmande = tema.kriterier.create(kod="9.9", ordning=1, text="Främmande")
    with pytest.raises(ValidationError, match="målbildsversion"):
        services.svar_save(sjalvskattning=sjalvskattning, data=svar(fremmande), anvandare=chef)
    assert sjalvskattning.svar.count() == 0


def fyll_i(sjalvskattning, kriterier, user, typ="niva"):
    for k in kriterier:
        services.svar_save(sjalvskattning=sjalvskattning, data=svar(k, typ=typ), anvandare=user)


def test_submit_requires_every_criterion_then_locks(sjalvskattning, kriterier, chef, planerare):
    fyll_i(sjalvskattning, kriterier[:-1], chef)
    with pytest.raises(ValidationError, match="1 kriterier är inte besvarade"):
        services_granskning.sjalvskattning_submit(sjalvskattning=sjalvskattning, anvandare=chef)
    services.svar_save(
        sjalvskattning=sjalvskattning, data=svar(kriterier[-1], typ="vet_ej"), anvandare=chef
    )
    services_granskning.sjalvskattning_submit(sjalvskattning=sjalvskattning, anvandare=chef)
    assert sjalvskattning.status == Sjalvskattning.Status.INSKICKAD
    with pytest.raises(ValidationError, match="låst"):
        services.svar_save(
            sjalvskattning=sjalvskattning,
            data=svar(kriterier[0], niva=4, version=1),
            anvandare=chef,
        )
    assert sjalvskattning.svar.get(kriterium=kriterier[0]).niva == 2


def test_return_approve_reopen_leave_a_trace(sjalvskattning, kriterier, chef, planerare):
    fyll_i(sjalvskattning, kriterier, chef)
    services_granskning.sjalvskattning_submit(sjalvskattning=sjalvskattning, anvandare=chef)
    with pytest.raises(ValidationError):
        services_granskning.sjalvskattning_return(
            sjalvskattning=sjalvskattning, kommentar="  ", anvandare=planerare
        )
    services_granskning.sjalvskattning_return(
        sjalvskattning=sjalvskattning, kommentar="Komplettera tema 2", anvandare=planerare
    )
    assert sjalvskattning.status == Sjalvskattning.Status.ATERSAND
    services_granskning.sjalvskattning_submit(sjalvskattning=sjalvskattning, anvandare=chef)
    services_granskning.sjalvskattning_approve(sjalvskattning=sjalvskattning, anvandare=planerare)
    assert sjalvskattning.status == Sjalvskattning.Status.GODKAND
    with pytest.raises(ValidationError):
        services_granskning.sjalvskattning_approve(
            sjalvskattning=sjalvskattning, anvandare=planerare
        )
    services_granskning.sjalvskattning_reopen(
        sjalvskattning=sjalvskattning, anledning="Fel nivå på 3.1", anvandare=planerare
    )
    sjalvskattning.refresh_from_db()
    assert sjalvskattning.status == Sjalvskattning.Status.PAGAR and sjalvskattning.godkand is None
    senaste = sjalvskattning.history.first()
    assert senaste.history_change_reason == "Återöppnad: Fel nivå på 3.1"
    assert senaste.history_user == planerare


def atgard(kriterium, **kw):
    return services_atgard.AtgardData(
        kriterium=kriterium,
        beskrivning=kw.get("beskrivning", "Inför screening med PHQ-9"),
        ansvarig=kw.get("ansvarig", "Verksamhetschef"),
        start=kw.get("start", datetime.date(2026, 1, 1)),
        klar_senast=kw.get("klar_senast", datetime.date(2026, 12, 31)),
        status=kw.get("status", "planerad"),
        mal_niva=kw.get("mal_niva", 3),
    )


def test_actions_are_validated(sjalvskattning, kriterier, chef):
    k = kriterier[0]
    services.svar_save(sjalvskattning=sjalvskattning, data=svar(k, niva=3), anvandare=chef)
    for data, falt in [
        (atgard(k, mal_niva=3), "mal_niva"),
        (atgard(k, mal_niva=5), "mal_niva"),
        (atgard(k, mal_niva=4, klar_senast=datetime.date(2025, 6, 30)), "klar_senast"),
        (atgard(k, mal_niva=4, status="glomd"), "status"),
        (atgard(k, mal_niva=4, beskrivning="x" * 2001), "beskrivning"),
        (atgard(k, mal_niva=4, ansvarig=""), "ansvarig"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services_atgard.atgard_create(sjalvskattning=sjalvskattning, data=data, anvandare=chef)
        assert falt in exc.value.message_dict
    assert Atgard.objects.count() == 0
    a = services_atgard.atgard_create(
        sjalvskattning=sjalvskattning, data=atgard(k, mal_niva=4), anvandare=chef
    )
    assert a.omgang == sjalvskattning.omgang and a.history.get().history_user == chef


def test_open_actions_carry_over_to_the_next_round(
    stockholm, malbild_version, planerare, vc_stockholm, kriterier, chef
):
    from vardcentraler.omgangar.selectors import sjalvskattning_formular

    forsta = omgang_create(
        stockholm, malbild_version, planerare, namn="2025", start=datetime.date(2025, 1, 1)
    )
    s1 = forsta.sjalvskattningar.select_related("omgang", "vardcentral").get()
    k = kriterier[0]
    services.svar_save(sjalvskattning=s1, data=svar(k, niva=1), anvandare=chef)
    oppen = services_atgard.atgard_create(
        sjalvskattning=s1, data=atgard(k, mal_niva=2), anvandare=chef
    )
    klar = services_atgard.atgard_create(
        sjalvskattning=s1, data=atgard(k, mal_niva=3, status="klar"), anvandare=chef
    )
    andra = omgang_create(stockholm, malbild_version, planerare)
    s2 = andra.sjalvskattningar.select_related("omgang__malbild_version", "vardcentral").get()
    rad = sjalvskattning_formular(s2)[0].rader[0]
    assert rad.kriterium == k
    assert [a.pk for a in rad.atgarder] == [oppen.pk]
    assert klar.pk not in [a.pk for a in rad.atgarder]
    assert rad.foregaende.niva == 1  # the previous round's answer beside the criterion


def test_a_theme_save_without_js_is_all_or_nothing(sjalvskattning, kriterier, chef, planerare):
    tema = [k for k in kriterier if k.tema_id == kriterier[0].tema_id]
    services.svar_save(
        sjalvskattning=sjalvskattning, data=svar(tema[1], niva=3), anvandare=planerare
    )
    sparade, konflikter = services.svar_save_many(
        sjalvskattning=sjalvskattning,
        data=[svar(tema[0], niva=2), svar(tema[1], niva=1, version=0)],
        anvandare=chef,
    )
    assert sparade == [] and set(konflikter) == {tema[1].pk}
    assert not sjalvskattning.svar.filter(kriterium=tema[0]).exists()
    sparade, konflikter = services.svar_save_many(
        sjalvskattning=sjalvskattning,
        data=[svar(tema[0], niva=2), svar(tema[1], niva=1, version=1)],
        anvandare=chef,
    )
    assert len(sparade) == 2 and konflikter == {}


def test_history_lists_who_changed_what(sjalvskattning, kriterier, chef, planerare):
    from vardcentraler.omgangar.selectors_historik import sjalvskattning_history

    k = kriterier[0]
    services.svar_save(sjalvskattning=sjalvskattning, data=svar(k, niva=2), anvandare=chef)
    services.svar_save(
        sjalvskattning=sjalvskattning,
        data=svar(k, niva=3, motivering="<b>Ny rutin</b>", version=1),
        anvandare=planerare,
    )
    handelser = sjalvskattning_history(sjalvskattning)
    andring = [h for h in handelser if h.falt == "Svar" and h.fore == "Nivå 2"]
    assert len(andring) == 1 and andring[0].efter == "Nivå 3"
    assert any(h.falt == "Motivering" and h.efter == "<b>Ny rutin</b>" for h in handelser)
    assert any(h.falt == "Status" and h.efter == "Pågår" for h in handelser)
    # the first answer is one "Svar" row, not one for the type and one for the level
    assert len([h for h in handelser if h.falt == "Svar" and h.fore == "–"]) == 1
