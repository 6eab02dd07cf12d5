"""`make backup` then `make restore` into an empty database: every row and file comes back.

Runs on the suite's database engine: PostgreSQL when DATABASE_URL is PostgreSQL (CI),
SQLite otherwise. The backup is taken in-process from the test database (committed:
a transactional test); the restore runs `manage.py backup_restore` in a child process
against a new, empty database and MEDIA_ROOT, as an operator would. The two sides are
compared through `dumpdata` of the domain apps, so the comparison does not depend on
how each engine returns its types.
"""

import json
import os
import subprocess
import sys
import tarfile
from io import BytesIO, StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from pypdf import PdfReader

from drift.backup import backup_create
from tests.factories import (
    AtgardFactory,
    SjalvskattningFactory,
    SvarFactory,
    UserFactory,
    VardcentralFactory,
    region,
)
from uppfoljning import pdf
from uppfoljning.models import FardplanArkiv
from vardcentraler.models import Kommun, Region, Sjalvskattning, Svar

ROOT = Path(__file__).resolve().parents[2]
APPAR = ["malbild", "vardcentraler", "uppfoljning", "auth.user"]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def tom_databas(tmp_path):
    """The URL of a new, empty database on the same engine as the test database."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'aterstalld.sqlite3'}"
        return
    namn = f"{s['NAME']}_aterstalld"
    anslutning = dict(
        host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"], password=s["PASSWORD"]
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **anslutning) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{namn}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{namn}"')
    losen = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    yield f"postgres://{s['USER']}{losen}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{namn}"
    with psycopg.connect(dbname="postgres", autocommit=True, **anslutning) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{namn}" WITH (FORCE)')


def _data_skapa(media_root: Path) -> FardplanArkiv:
    """Answers (some edited: more history), actions, and a stored ZIP, all committed."""
    from vardcentraler.referensdata import referensdata_load

    if not Region.objects.exists():
        referensdata_load(Region, Kommun)
    call_command("load_malbild", verbosity=0)
    from malbild.models import Kriterium, MalbildVersion

    kriterier = list(Kriterium.objects.order_by("pk")[:6])
    vc = VardcentralFactory(region=region("01"), namn="Vårdcentralen Åkerby")
    skattning = SjalvskattningFactory(
        vardcentral=vc,
        omgang__region=vc.region,
        omgang__malbild_version=MalbildVersion.objects.get(slug="2024-10-9251"),
    )
    for i, kriterium in enumerate(kriterier):
        svar = SvarFactory(
            sjalvskattning=skattning, kriterium=kriterium, niva=1 + i % 4, motivering="Å ä ö"
        )
        if i % 2:
            svar.niva = 4
            svar.save()
        AtgardFactory(vardcentral=vc, kriterium=kriterium, omgang=skattning.omgang)
    arkiv = FardplanArkiv.objects.create(
        omgang=skattning.omgang, skapad_av=UserFactory(username="p-backup"), status="klar"
    )
    arkiv.fil.save("fardplaner-test.zip", ContentFile(b"PK\x03\x04 en zip med PDF:er \xc3\xa5"))
    return arkiv


def _dumpdata_har() -> dict:
    ut = StringIO()
    call_command("dumpdata", *APPAR, format="json", stdout=ut)
    return _per_modell(json.loads(ut.getvalue()))


def _pdf_text(data: bytes) -> str:
    return "\n".join(sida.extract_text() for sida in PdfReader(BytesIO(data)).pages)


def _per_modell(objekt: list[dict]) -> dict:
    per: dict[str, list] = {}
    for o in objekt:
        per.setdefault(o["model"], []).append(o)
    return per


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_an_empty_database_finds_everything(
    settings, tmp_path, tom_databas
):
    settings.MEDIA_ROOT = tmp_path / "media"
    arkiv = _data_skapa(settings.MEDIA_ROOT)
    original = _dumpdata_har()
    assert len(original["vardcentraler.svar"]) == 6
    assert len(original["vardcentraler.historicalsvar"]) == 9  # 6 created, 3 edited
    assert len(original["vardcentraler.atgard"]) == 6
    assert len(original["vardcentraler.historicalatgard"]) == 6

    fil = backup_create(katalog=tmp_path / "backups")
    with tarfile.open(fil) as tar:
        namn = tar.getnames()
    assert "manifest.json" in namn and f"media/{arkiv.fil.name}" in namn

    ny_media = tmp_path / "media-aterstalld"
    env = {"DATABASE_URL": tom_databas, "MEDIA_ROOT": str(ny_media)}
    resultat = _manage("backup_restore", str(fil), env=env)
    assert resultat.returncode == 0, resultat.stderr
    assert "allt stämmer med säkerhetskopian" in resultat.stdout
    assert "Appens kontroller godkända" in resultat.stdout

    dump = _manage("dumpdata", *APPAR, "--format=json", env=env)
    assert dump.returncode == 0, dump.stderr
    aterstalld = _per_modell(json.loads(dump.stdout))
    assert aterstalld == original
    assert (ny_media / arkiv.fil.name).read_bytes() == (
        settings.MEDIA_ROOT / arkiv.fil.name
    ).read_bytes()

    # The restored app prints the same färdplan: the same print HTML and the same PDF text.
    skattning = Sjalvskattning.objects.get()
    utskrift = tmp_path / "aterstalld"
    skript = (
        "import sys, django; django.setup()\n"
        "from pathlib import Path\n"
        "from uppfoljning import pdf\n"
        "from vardcentraler.models import Sjalvskattning\n"
        f"s = Sjalvskattning.objects.get(pk={skattning.pk})\n"
        f"Path('{utskrift}.html').write_text(pdf.fardplan_html(s))\n"
        f"Path('{utskrift}.pdf').write_bytes(pdf.fardplan_pdf(s))\n"
    )
    resultat = subprocess.run(  # noqa: S603
        [sys.executable, "-c", skript],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resultat.returncode == 0, resultat.stderr
    assert Path(f"{utskrift}.html").read_text() == pdf.fardplan_html(skattning)
    assert _pdf_text(Path(f"{utskrift}.pdf").read_bytes()) == _pdf_text(pdf.fardplan_pdf(skattning))

    # A second restore into the now full database is refused and changes nothing.
    igen = _manage("backup_restore", str(fil), env=env)
    assert igen.returncode != 0
    assert "Databasen är inte tom" in igen.stderr
    assert Svar.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, tom_databas):
    falsk = tmp_path / "falsk.tar"
    with tarfile.open(falsk, "w") as tar:
        tar.add(__file__, arcname="databas.dump")
    resultat = _manage(
        "backup_restore", str(falsk), env={"DATABASE_URL": tom_databas, "MEDIA_ROOT": str(tmp_path)}
    )
    assert resultat.returncode != 0
    assert "ingen säkerhetskopia" in resultat.stderr
