"""Notifications: every event mails exactly the right people once, never across regions."""

import datetime
import email
import socket
from email.policy import default as default_policy

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notiser import services
from notiser.models import Installning, Notis
from tests.factories import (
    AtgardFactory,
    OmgangFactory,
    ProfilFactory,
    SjalvskattningFactory,
    UserFactory,
    VardcentralFactory,
)
from vardcentraler.models import Profil, Sjalvskattning

pytestmark = pytest.mark.django_db


@pytest.fixture
def personer(stockholm, uppsala, vc_stockholm, malbild_version):
    """Two planners and two chefs in Stockholm (one of another unit), one planner in Uppsala."""

    def profil(namn, roll, region=None, vardcentraler=()):
        user = UserFactory(username=namn, email=f"{namn}@region.example", first_name=namn)
        p = ProfilFactory(anvandare=user, roll=roll, region=region)
        p.vardcentraler.set(vardcentraler)
        return user

    granne = VardcentralFactory(region=stockholm)
    return {
        "planerare1": profil("planerare1", Profil.Roll.PLANERARE, stockholm),
        "planerare2": profil("planerare2", Profil.Roll.PLANERARE, stockholm),
        "uppsala": profil("uppsala", Profil.Roll.PLANERARE, uppsala),
        "chef": profil("chef1", Profil.Roll.VERKSAMHETSCHEF, vardcentraler=[vc_stockholm]),
        "grannchef": profil("chef2", Profil.Roll.VERKSAMHETSCHEF, vardcentraler=[granne]),
        "granne": granne,
    }


@pytest.fixture
def s(vc_stockholm, malbild_version):
    omgang = OmgangFactory(region=vc_stockholm.region, malbild_version=malbild_version, namn="2026")
    return SjalvskattningFactory(omgang=omgang, vardcentral=vc_stockholm)


def _mottagare():
    return sorted(addr for m in mail.outbox for addr in m.to)


def test_submitted_mails_the_regions_planners_only(personer, s, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.sjalvskattning_notify(sjalvskattning=s, typ=Notis.Typ.INSKICKAD)
    assert _mottagare() == ["planerare1@region.example", "planerare2@region.example"]
    assert all("har skickat in" in m.subject for m in mail.outbox)


@pytest.mark.parametrize("typ", [Notis.Typ.ATERSAND, Notis.Typ.GODKAND])
def test_returned_or_approved_mails_the_units_chef_only(
    personer, s, typ, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.sjalvskattning_notify(
            sjalvskattning=s, typ=typ, kommentar="Se över tema 2, kriterium 2.3."
        )
    assert _mottagare() == ["chef1@region.example"]
    (m,) = mail.outbox
    assert s.vardcentral.namn in m.subject
    if typ == Notis.Typ.ATERSAND:
        assert "Se över tema 2, kriterium 2.3." in m.body
    # Plain text and HTML, with a link back into the app.
    html, mime = m.alternatives[0]
    assert mime == "text/html" and 'lang="sv"' in html
    url = reverse("vardcentraler:sjalvskattning_detail", args=[s.omgang_id, s.vardcentral.hsa_id])
    assert url in m.body and url in html


def test_no_mail_is_sent_before_the_transaction_commits(personer, s):
    services.sjalvskattning_notify(sjalvskattning=s, typ=Notis.Typ.INSKICKAD)
    assert mail.outbox == []  # the test's transaction never commits
    assert Notis.objects.filter(skickad__isnull=True).count() == 2


def test_deadline_reminders_14_and_3_days_once_each(
    personer, s, django_capture_on_commit_callbacks
):
    inskickad = SjalvskattningFactory(
        omgang=s.omgang, vardcentral=personer["granne"], status=Sjalvskattning.Status.INSKICKAD
    )
    assert inskickad.status == Sjalvskattning.Status.INSKICKAD
    sista = s.omgang.sista_dag
    with django_capture_on_commit_callbacks(execute=True):
        assert services.paminnelser_create(idag=sista - datetime.timedelta(days=20)) == 0
        assert services.paminnelser_create(idag=sista - datetime.timedelta(days=14)) == 1
        assert services.paminnelser_create(idag=sista - datetime.timedelta(days=10)) == 0
        assert services.paminnelser_create(idag=sista - datetime.timedelta(days=3)) == 1
        assert services.paminnelser_create(idag=sista - datetime.timedelta(days=1)) == 0
    assert _mottagare() == ["chef1@region.example", "chef1@region.example"]
    assert "om 14 dagar" in mail.outbox[0].body and "om 3 dagar" in mail.outbox[1].body


def test_a_round_first_seen_inside_three_days_sends_only_the_last_reminder(personer, s):
    assert services.paminnelser_create(idag=s.omgang.sista_dag) == 1
    assert Notis.objects.get().nyckel.endswith("-3")


def test_weekly_digest_of_overdue_actions_respects_opt_out(
    personer, s, django_capture_on_commit_callbacks
):
    idag = datetime.date(2026, 9, 1)
    AtgardFactory(
        vardcentral=s.vardcentral,
        omgang=s.omgang,
        kriterium=s.omgang.malbild_version.teman.first().kriterier.first(),
        klar_senast=datetime.date(2026, 6, 30),
    )
    Installning.objects.create(anvandare=personer["planerare2"], veckosammanfattning=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.veckosammanfattningar_create(idag=idag) == 2
        assert services.veckosammanfattningar_create(idag=idag) == 0  # same week
    # The Stockholm planner who kept it and the unit's chef; not the neighbour's chef, not Uppsala.
    assert _mottagare() == ["chef1@region.example", "planerare1@region.example"]
    assert all(m.subject.startswith("1 försenade åtgärder") for m in mail.outbox)


def test_daily_command_runs_reminders_and_digests(personer, s):
    call_command("notiser_send", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_pages_show_only_the_users_own_notices(client, personer, s):
    services.sjalvskattning_notify(sjalvskattning=s, typ=Notis.Typ.INSKICKAD)
    client.force_login(personer["chef"])
    assert "har skickat in" not in client.get(reverse("notiser:notis_list")).text
    client.force_login(personer["planerare1"])
    response = client.get(reverse("notiser:notis_list"))
    assert "har skickat in" in response.text and "Ny" in response.text
    assert client.post(reverse("notiser:notis_mark_read")).status_code == 302
    assert not Notis.objects.filter(mottagare=personer["planerare1"], last__isnull=True).exists()
    assert Notis.objects.filter(mottagare=personer["planerare2"], last__isnull=True).exists()


def test_settings_switch_the_digest_off(client, personer):
    client.force_login(personer["chef"])
    url = reverse("notiser:installning_update")
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    assert Installning.objects.get(anvandare=personer["chef"]).veckosammanfattning is False


def _ledig_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_mail_through_a_real_smtp_server(personer, s, settings, django_capture_on_commit_callbacks):
    """aiosmtpd on loopback receives the mail: headers, Swedish characters, both parts."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    mottaget = []

    class Handler(Message):
        def handle_message(self, message):
            mottaget.append(message)

    port = _ledig_port()
    controller = Controller(Handler(message_class=email.message.EmailMessage), port=port)
    controller.hostname = "127.0.0.1"
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            }
        }
        with django_capture_on_commit_callbacks(execute=True):
            services.sjalvskattning_notify(sjalvskattning=s, typ=Notis.Typ.GODKAND)
    finally:
        controller.stop()
    (raw,) = mottaget
    m = email.message_from_bytes(raw.as_bytes(), policy=default_policy)
    assert m["To"] == "chef1@region.example"
    assert m["From"] == "Målbild psykisk ohälsa <noreply@localhost>"
    assert m["Subject"] == f"Självskattningen för {s.vardcentral.namn} är godkänd (2026)"
    assert m.get_content_type() == "multipart/alternative"
    text = m.get_body(("plain",))
    html = m.get_body(("html",))
    assert text.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
    assert "Gaprapporten och färdplanen bygger nu på den" in text.get_content()
    assert "godkänt" in html.get_content()
    assert Notis.objects.get().skickad is not None


def test_the_review_flow_notifies_through_the_services(
    personer, s, kriterier, django_capture_on_commit_callbacks
):
    """Submit → planners; return → chef (with the comment); resubmit; approve → chef."""
    from tests.factories import SvarFactory
    from vardcentraler.omgangar import services_granskning as vservices

    for k in kriterier:
        SvarFactory(sjalvskattning=s, kriterium=k)
    with django_capture_on_commit_callbacks(execute=True):
        vservices.sjalvskattning_submit(sjalvskattning=s, anvandare=personer["chef"])
    assert _mottagare() == ["planerare1@region.example", "planerare2@region.example"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        vservices.sjalvskattning_return(
            sjalvskattning=s, kommentar="Komplettera tema 4.", anvandare=personer["planerare1"]
        )
    assert _mottagare() == ["chef1@region.example"]
    assert "Komplettera tema 4." in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        vservices.sjalvskattning_submit(sjalvskattning=s, anvandare=personer["chef"])
        vservices.sjalvskattning_approve(sjalvskattning=s, anvandare=personer["planerare1"])
    assert len(mail.outbox) == 3  # two planners, then the chef
    assert mail.outbox[-1].to == ["chef1@region.example"] and "godkänd" in mail.outbox[-1].subject
