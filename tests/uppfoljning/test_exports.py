import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.uppfoljning.data import enheter_skapa, malnivaer_skapa, omgang_skapa, svar_skapa
from uppfoljning.exports import RUBRIKER, export_rader

pytestmark = pytest.mark.django_db


@pytest.fixture
def exportdata(stockholm):
    enheter = enheter_skapa(stockholm, 4)
    o1, o2 = omgang_skapa(stockholm, 2025), omgang_skapa(stockholm, 2026)
    malnivaer_skapa(o2, 3)
    svar_skapa(o1, enheter[:3], niva=2)
    svar_skapa(
        o2, enheter[:2], niva=lambda i, k: ("vet_ej", None) if k.kod == "1.1" else ("niva", 1)
    )
    return enheter, o1, o2


def test_one_row_per_unit_criterion_and_round(exportdata, stockholm, django_assert_num_queries):
    from vardcentraler.models import Vardcentral

    with django_assert_num_queries(5):
        rader = list(export_rader(region=stockholm, vardcentraler=Vardcentral.objects.all()))
    assert len(rader) == 4 * 37 * 2
    kol = {namn: i for i, namn in enumerate(RUBRIKER)}
    forsta = next(
        r for r in rader if r[kol["Omgång"]] == "01-2026" and r[kol["Kriteriekod"]] == "1.2"
    )
    assert forsta[kol["Regionkod"]] == "01" and forsta[kol["Region"]] == "Region Stockholm"
    assert (
        forsta[kol["Svarstyp"]],
        forsta[kol["Nivå"]],
        forsta[kol["Målnivå"]],
        forsta[kol["Gap"]],
    ) == ("Nivå", 1, 3, 2)
    assert forsta[kol["Status"]] == "Inskickad"
    vet_ej = next(
        r for r in rader if r[kol["Omgång"]] == "01-2026" and r[kol["Kriteriekod"]] == "1.1"
    )
    assert (vet_ej[kol["Svarstyp"]], vet_ej[kol["Nivå"]], vet_ej[kol["Gap"]]) == (
        "Vet ej",
        None,
        None,
    )
    obesvarad = [r for r in rader if r[kol["HSA-id"]] == exportdata[0][3].hsa_id]
    assert {r[kol["Svarstyp"]] for r in obesvarad} == {"Ej besvarat"}


def test_csv_has_bom_semicolons_and_swedish_headers(client, planerare, exportdata):
    client.force_login(planerare)
    response = client.get(
        reverse("uppfoljning:region_export_csv", args=["01"]) + "?driftsform=regional"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    innehall = b"".join(response.streaming_content).decode("utf-8")
    assert innehall.startswith("\ufeff")
    rader = list(csv.reader(io.StringIO(innehall.lstrip("\ufeff")), delimiter=";"))
    assert rader[0] == RUBRIKER
    assert len(rader) == 1 + 2 * 37 * 2  # the filter keeps the two regional units
    assert {r[6] for r in rader[1:]} == {"Regional"}
    assert "Vårdcentraler omhändertar psykisk ohälsa" in innehall


def test_xlsx_has_frozen_header_and_autofilter(client, planerare, exportdata):
    client.force_login(planerare)
    response = client.get(reverse("uppfoljning:region_export_xlsx", args=["01"]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.active
    assert [c.value for c in ws[1]] == RUBRIKER
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:Q{1 + 4 * 37 * 2}"
    assert ws.max_row == 1 + 4 * 37 * 2


@pytest.mark.parametrize("namn", ["region_export_csv", "region_export_xlsx"])
def test_exports_are_scoped_like_the_dashboard(
    client, planerare_uppsala, nationell, exportdata, namn
):
    url = reverse(f"uppfoljning:{namn}", args=["01"])
    client.force_login(planerare_uppsala)
    assert client.get(url).status_code == 404
    client.force_login(nationell)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 405


def test_a_managers_export_holds_only_the_own_unit(client, chef, vc_stockholm, exportdata):
    client.force_login(chef)
    response = client.get(reverse("uppfoljning:region_export_csv", args=["01"]))
    rader = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")),
            delimiter=";",
        )
    )
    assert {r[4] for r in rader[1:]} == {vc_stockholm.hsa_id}
