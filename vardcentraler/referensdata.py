"""The 21 regions and 290 kommuner with their official codes (SCB, via sjbrg/swedish-geodata, CC0)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# The regional authorities carry their own names, which differ from the county names.
REGIONNAMN = {
    "01": "Region Stockholm",
    "03": "Region Uppsala",
    "04": "Region Sörmland",
    "05": "Region Östergötland",
    "06": "Region Jönköpings län",
    "07": "Region Kronoberg",
    "08": "Region Kalmar län",
    "09": "Region Gotland",
    "10": "Region Blekinge",
    "12": "Region Skåne",
    "13": "Region Halland",
    "14": "Västra Götalandsregionen",
    "17": "Region Värmland",
    "18": "Region Örebro län",
    "19": "Region Västmanland",
    "20": "Region Dalarna",
    "21": "Region Gävleborg",
    "22": "Region Västernorrland",
    "23": "Region Jämtland Härjedalen",
    "24": "Region Västerbotten",
    "25": "Region Norrbotten",
}


def lan_rows() -> list[dict]:
    with (DATA_DIR / "lan.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def kommun_rows() -> list[dict]:
    with (DATA_DIR / "kommuner.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def referensdata_load(Region, Kommun) -> None:
    """Create or update all regions and kommuner; takes the model classes so migrations can call it."""
    regioner = {}
    for row in lan_rows():
        kod = row["county_code"]
        regioner[kod], _ = Region.objects.update_or_create(
            kod=kod, defaults={"namn": REGIONNAMN[kod], "lan": row["county_name"]}
        )
    for row in kommun_rows():
        Kommun.objects.update_or_create(
            kod=row["municipality_code"],
            defaults={
                "namn": row["municipality_name_short"],
                "region": regioner[row["county_code"]],
            },
        )
