import shutil

import pytest
import yaml

from malbild.models import Kriterium, MalbildVersion
from malbild.services import (
    DATA_DIR,
    MalbildDataError,
    MalbildLastError,
    malbild_load,
    malbild_load_all,
)

pytestmark = pytest.mark.django_db
FIL = DATA_DIR / "malbild_2024.yaml"
FIL_V2 = DATA_DIR / "malbild_2024_v2.yaml"


def test_loading_twice_changes_nothing(malbild_version):
    antal = Kriterium.objects.count()
    resultat = malbild_load_all()
    assert [(v.slug, v.nummer, andrad) for v, andrad in resultat] == [
        ("2024-10-9251", 1, False),
        ("2024-10-9251-v2", 2, False),
    ]
    assert resultat[0][0].pk == malbild_version.pk
    assert Kriterium.objects.count() == antal
    assert Kriterium.objects.filter(tema__version=malbild_version).count() == 37


def test_version_2_maps_every_criterion_or_marks_it_new(malbild_version):
    v2 = MalbildVersion.objects.get(slug="2024-10-9251-v2")
    kriterier = list(Kriterium.objects.filter(tema__version=v2).select_related("ersatter__tema"))
    assert len(kriterier) == 48
    mappade = [k for k in kriterier if k.ersatter_id]
    assert len(mappade) == 37
    assert all(k.ersatter.tema.version_id == malbild_version.pk for k in mappade)
    # Every v1 criterion has exactly one successor; none was removed in v2.
    assert sorted(k.ersatter.kod for k in mappade) == sorted(
        Kriterium.objects.filter(tema__version=malbild_version).values_list("kod", flat=True)
    )
    nya = {k.kod for k in kriterier if not k.ersatter_id}
    assert nya == {"1.8", "1.9", "2.8", "2.9", "2.10", "2.11", "3.7", "3.8", "3.9", "4.7", "4.8"}
    # A changed criterion says what changed.
    for k in mappade:
        if k.text != k.ersatter.text:
            assert k.andring, k.kod


def test_a_changed_criterion_without_a_note_is_refused(malbild_version, tmp_path):
    data = yaml.safe_load(FIL_V2.read_text(encoding="utf-8"))
    data["version"].update(slug="2026-test", nummer=3)
    forsta = data["teman"][0]["kriterier"][0]
    forsta["ersatter"] = "2024-10-9251-v2/1.1"
    forsta["text"] = "Ett annat kriterium."
    forsta.pop("andring", None)
    fil = tmp_path / "ny.yaml"
    fil.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MalbildDataError, match="säg vad som ändrats"):
        malbild_load(path=fil)
    assert not MalbildVersion.objects.filter(slug="2026-test").exists()


def test_a_later_version_must_map_or_mark_each_criterion(tmp_path):
    data = yaml.safe_load(FIL_V2.read_text(encoding="utf-8"))
    del data["teman"][0]["kriterier"][0]["ersatter"]
    fil = tmp_path / "ny.yaml"
    fil.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MalbildDataError, match="antingen 'ersatter'"):
        malbild_load(path=fil)


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
    data["version"]["nummer"] = 3
    for tema in data["teman"]:
        for k in tema["kriterier"]:
            k["ny"] = True
    forsta = data["teman"][0]["kriterier"][0]
    del forsta["ny"]
    forsta["ersatter"] = f"2024-10-9251/{forsta['kod']}"
    ny_fil = tmp_path / "ny.yaml"
    ny_fil.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    version, andrad = malbild_load(path=ny_fil)
    assert andrad
    ny = Kriterium.objects.get(tema__version=version, kod=forsta["kod"])
    assert ny.ersatter.tema.version == malbild_version
    assert MalbildVersion.objects.count() == 3


def test_malformed_file_is_rejected_in_swedish(tmp_path):
    trasig = tmp_path / "trasig.yaml"
    shutil.copy(FIL, trasig)
    data = yaml.safe_load(trasig.read_text(encoding="utf-8"))
    del data["teman"][1]["kriterier"][0]["nivaer"][4]
    trasig.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MalbildDataError, match="ska beskriva nivåerna"):
        malbild_load(path=trasig)


def test_a_version_number_in_use_is_refused(malbild_version, tmp_path):
    data = yaml.safe_load(FIL_V2.read_text(encoding="utf-8"))
    data["version"]["slug"] = "2026-test"  # a new slug, but number 2 is taken
    fil = tmp_path / "ny.yaml"
    fil.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MalbildDataError, match="versionsnummer 2 används redan"):
        malbild_load(path=fil)
