import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from vardcentraler.models import Profil, Vardcentral

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_refuses_to_run_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.filter(username="planerare").exists()


@override_settings(DEBUG=True)
def test_creates_the_demo_logins_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    antal = Vardcentral.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Vardcentral.objects.count() == antal
    assert antal >= 21 * 5
    assert all(vc.namn.startswith("Demo ") for vc in Vardcentral.objects.all())
    User = get_user_model()
    for namn in ("planerare", "chef", "nationell", "admin"):
        assert User.objects.get(username=namn).check_password("malbild-demo")
    assert Profil.objects.get(anvandare__username="planerare").region.namn == "Region Stockholm"
    chef = Profil.objects.get(anvandare__username="chef")
    assert [vc.region.kod for vc in chef.vardcentraler.all()] == ["01"]
    assert User.objects.get(username="admin").is_superuser
