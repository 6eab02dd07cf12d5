import shutil

import pytest
import yaml

from malbild.models import Kriterium, MalbildVersion
from malbild.services import DATA_DIR, MalbildDataError, MalbildLastError, malbild_load

pytestmark = pytest.mark.django_db
FIL = DATA_DIR / "malbild_2024.yaml"


def test_loading_twice_changes_nothing(malbild_version):
    antal = Kriterium.objects.count()
    version, andrad = malbild_load(path=FIL)
    assert not andrad
    assert version.pk == malbild_version.pk
    assert Kriterium.objects.count() == antal
    assert 30 <= antal <= 40


def test_a_locked_version_refuses_changed_content(malbild_version, tmp_path):
    malbild_version.last = True
    malbild_version.save()
    data = yaml.safe_load(FIL.read_text(encoding="utf-8"))
    data["teman"][0]["kriterier"][0]["text"] = "Ändrad text"
    andrad_fil = tmp_path / "malbild.yaml"
    andrad_fil.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MalbildLastError, match="låst"):
        malbild_load(path=andrad_fil)
    assert Kriterium.objects.filter(text="Ändrad text").count() == 0


def test_a_new_version_can_name_the_criteria_it_replaces(malbild_version, tmp_path):
    data = yaml.safe_load(FIL.read_text(encoding="utf-8"))
    data["version"]["slug"] = "2026-test"
    forsta = data["teman"][0]["kriterier"][0]
    forsta["ersatter"] = f"2024-10-9251/{forsta['kod']}"
    ny_fil = tmp_path / "ny.yaml"
    ny_fil.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    version, andrad = malbild_load(path=ny_fil)
    assert andrad
    ny = Kriterium.objects.get(tema__version=version, kod=forsta["kod"])
    assert ny.ersatter.tema.version == malbild_version
    assert MalbildVersion.objects.count() == 2


def test_malformed_file_is_rejected_in_swedish(tmp_path):
    trasig = tmp_path / "trasig.yaml"
    shutil.copy(FIL, trasig)
    data = yaml.safe_load(trasig.read_text(encoding="utf-8"))
    del data["teman"][1]["kriterier"][0]["nivaer"][4]
    trasig.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MalbildDataError, match="ska beskriva nivåerna"):
        malbild_load(path=trasig)
