import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import VardcentralFactory
from vardcentraler.models import Vardcentral
from vardcentraler.organisation.importer import ImportFilFel, import_apply, import_preview

pytestmark = pytest.mark.django_db

RUBRIK = "HSA-id;Namn;Kommunkod;Driftsform;Listade patienter;Aktiv\n"


def _csv(*rader: str) -> bytes:
    return (RUBRIK + "\n".join(rader) + "\n").encode("utf-8")


def test_preview_reports_every_rows_errors_in_swedish(stockholm):
    innehall = _csv(
        "SE2321000016-AB1;Vårdcentralen Åby;0180;regional;12000;ja",
        "SE123-X;Trasig;0180;regional;100;ja",
        "SE2321000016-AB2;;0380;kommunal;många;kanske",
        "SE2321000016-AB1;Dubblett;0180;privat;500;ja",
    )
    resultat = import_preview(region=stockholm, filnamn="lista.csv", innehall=innehall)
    assert [bool(r.fel) for r in resultat.rader] == [False, True, True, True]
    assert "Ogiltigt HSA-id" in resultat.rader[1].fel[0]
    fel = " ".join(resultat.rader[2].fel)
    for del_ in (
        "Namn saknas",
        "Kommunkoden 0380 finns inte i Region Stockholm",
        "Driftsform",
        "heltal",
        "Aktiv",
    ):
        assert del_ in fel
    assert "finns redan på rad 2" in resultat.rader[3].fel[0]
    assert resultat.rader[2].radnummer == 4


def test_nothing_is_imported_when_any_row_is_wrong(stockholm):
    innehall = _csv(
        "SE2321000016-AB1;Vårdcentralen Åby;0180;regional;12000;ja",
        "SE2321000016-AB2;Vårdcentralen Bro;9999;regional;1000;ja",
    )
    with pytest.raises(ImportFilFel):
        import_apply(region=stockholm, filnamn="lista.csv", innehall=innehall)
    assert not Vardcentral.objects.filter(hsa_id__startswith="SE2321000016-AB").exists()


def test_reimport_updates_by_hsa_id_instead_of_duplicating(stockholm):
    forsta = _csv("SE2321000016-AB1;Vårdcentralen Åby;0180;regional;12000;ja")
    assert import_apply(region=stockholm, filnamn="a.csv", innehall=forsta) == (1, 0)
    andra = _csv("SE2321000016-AB1;Vårdcentralen Åby Torg;0180;privat;13 500;nej")
    assert import_apply(region=stockholm, filnamn="a.csv", innehall=andra) == (0, 1)
    vc = Vardcentral.objects.get(hsa_id="SE2321000016-AB1")
    assert (vc.namn, vc.driftsform, vc.listade_patienter, vc.aktiv) == (
        "Vårdcentralen Åby Torg",
        "privat",
        13500,
        False,
    )


def test_a_unit_of_another_region_cannot_be_taken_over(stockholm, uppsala):
    VardcentralFactory(hsa_id="SE2321000016-AB9", region=uppsala)
    resultat = import_preview(
        region=stockholm, filnamn="a.csv", innehall=_csv("SE2321000016-AB9;X;0180;regional;10;ja")
    )
    assert "annan region" in resultat.rader[0].fel[0]


def test_xlsx_with_comma_free_numbers_and_kommun_names(stockholm):
    wb = Workbook()
    ws = wb.active
    ws.append(["HSA-id", "Namn", "Kommun", "Driftsform", "Listade patienter"])
    ws.append(["SE2321000016-XL1", "Vårdcentralen Ängby", "Solna", "Privat", 9100])
    buf = io.BytesIO()
    wb.save(buf)
    assert import_apply(region=stockholm, filnamn="lista.xlsx", innehall=buf.getvalue()) == (1, 0)
    assert Vardcentral.objects.get(hsa_id="SE2321000016-XL1").kommun.namn == "Solna"


def test_missing_columns_and_wrong_file_type(stockholm):
    with pytest.raises(ImportFilFel, match="Kolumner saknas"):
        import_preview(region=stockholm, filnamn="a.csv", innehall=b"Namn;HSA-id\nX;Y\n")
    with pytest.raises(ImportFilFel, match="CSV"):
        import_preview(region=stockholm, filnamn="a.pdf", innehall=b"%PDF")


def test_import_views_preview_then_confirm(client, planerare):
    client.force_login(planerare)
    fil = SimpleUploadedFile(
        "lista.csv", _csv("SE2321000016-VW1;Vårdcentralen Vy;0180;regional;5000;ja")
    )
    response = client.post(reverse("vardcentraler:vardcentral_import"), {"fil": fil})
    assert response.status_code == 200
    assert "Alla 1 rader är giltiga" in response.content.decode()
    assert not Vardcentral.objects.filter(hsa_id="SE2321000016-VW1").exists()
    response = client.post(reverse("vardcentraler:vardcentral_import_confirm"))
    assert response.status_code == 302
    assert Vardcentral.objects.get(hsa_id="SE2321000016-VW1").region.kod == "01"


def test_import_view_with_errors_answers_422_and_writes_nothing(client, planerare):
    client.force_login(planerare)
    fil = SimpleUploadedFile("lista.csv", _csv("SE1;<script>x</script>;0180;regional;5000;ja"))
    response = client.post(reverse("vardcentraler:vardcentral_import"), {"fil": fil})
    html = response.content.decode()
    assert response.status_code == 200  # the file was read; its rows carry the errors
    assert "&lt;script&gt;" in html and "<script>x" not in html
    assert "Ogiltigt HSA-id" in html
    response = client.post(reverse("vardcentraler:vardcentral_import_confirm"))
    assert Vardcentral.objects.filter(namn__contains="script").count() == 0


def test_confirm_without_preview_changes_nothing(client, planerare):
    client.force_login(planerare)
    response = client.post(reverse("vardcentraler:vardcentral_import_confirm"), follow=True)
    assert "ingen förhandsgranskad fil" in response.content.decode()


def test_the_template_file_imports_cleanly(client, planerare, stockholm):
    client.force_login(planerare)
    mall = client.get(reverse("vardcentraler:vardcentral_import_mall"))
    assert mall["Content-Type"].startswith("text/csv")
    resultat = import_preview(region=stockholm, filnamn="mall.csv", innehall=mall.content)
    assert resultat.ok and resultat.rader[0].data["namn"] == "Vårdcentralen Exempel"


def test_the_template_is_for_planners_only(client, chef):
    client.force_login(chef)
    assert client.get(reverse("vardcentraler:vardcentral_import_mall")).status_code == 404
