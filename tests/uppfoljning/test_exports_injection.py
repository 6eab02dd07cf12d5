"""Exports never hand a spreadsheet a formula, and a control character breaks no export."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from lib.tabellceller import csv_cell, xlsx_cell
from tests.factories import VardcentralFactory
from tests.uppfoljning.data import omgang_skapa

pytestmark = pytest.mark.django_db

FARLIGA = ['=HYPERLINK("http://evil.invalid","klicka")', "+1+1", "-2+3", "@SUM(A1)", "\tA", "\rB"]


@pytest.mark.parametrize("text", FARLIGA)
def test_csv_cell_neutralises_formula_starts(text):
    assert csv_cell(text) == "'" + text


def test_csv_cell_keeps_numbers_and_plain_text():
    assert (csv_cell(-2), csv_cell(None), csv_cell("Åby")) == (-2, "", "Åby")


@pytest.fixture
def farlig_region(stockholm):
    for i, namn in enumerate(FARLIGA):
        VardcentralFactory(region=stockholm, namn=namn, hsa_id=f"SE2321000016-INJ{i}")
    omgang_skapa(stockholm, 2026)
    from vardcentraler.models import Omgang

    # A round name with a control character (stored before names were validated).
    Omgang.objects.filter(region=stockholm).update(namn="2026\x07\x1b")


def test_csv_export_writes_no_formula(client, planerare, farlig_region):
    client.force_login(planerare)
    response = client.get(reverse("uppfoljning:region_export_csv", args=["01"]))
    rader = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")),
            delimiter=";",
        )
    )
    namn = {r[5] for r in rader[1:]}
    assert namn == {"'" + t for t in FARLIGA}


def test_xlsx_export_writes_strings_and_survives_control_characters(
    client, planerare, farlig_region
):
    client.force_login(planerare)
    response = client.get(reverse("uppfoljning:region_export_xlsx", args=["01"]))
    assert response.status_code == 200
    innehall = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(innehall)) as z:
        ark = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in ark  # no formula element anywhere
    ws = openpyxl.load_workbook(io.BytesIO(innehall)).active
    celler = [c for rad in ws.iter_rows(min_row=2) for c in rad]
    namn = {c.value for c in celler if c.column == 6}
    assert {FARLIGA[0], "+1+1", "-2+3", "@SUM(A1)"} <= namn  # shown as the text it is
    assert all(c.data_type != "f" for c in celler)
    assert {c.value for c in celler if c.column == 9} == {"2026"}


def test_xlsx_cell_types_formula_text_as_string():
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    cell = xlsx_cell(ws, "=1+1")
    assert cell.data_type == "s" and cell.value == "=1+1"
    assert xlsx_cell(ws, "a\x00b") == "ab" and xlsx_cell(ws, 3) == 3
