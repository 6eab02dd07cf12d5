"""Backup and restore of the database and MEDIA_ROOT as one tar file.

A backup is an uncompressed tar (its parts are compressed already) holding:

- ``manifest.json``: when, which database engine, the row count of every table and the
  size and SHA-256 of every stored file (the restore checks against it);
- ``databas.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``databas.sqlite3``
  (SQLite: Python's ``sqlite3.Connection.backup``, the online backup API, safe while the
  app writes);
- ``media/…``: the stored files (the regions' ZIPs of färdplaner).

The database is dumped first and the files after, so every file a dumped row names is in
the backup (a file written in between is only an extra).

A restore goes into an empty database only (``pg_restore --exit-on-error`` into a new
database, or a new SQLite file) and refuses to overwrite stored files; it then compares
every table's row count and every file's checksum with the manifest.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump / pg_restore, arguments never from a user)
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "databas.dump"
SQLITE_FIL = "databas.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is Swedish and says why."""


@dataclass(frozen=True)
class Aterstallning:
    tabeller: int
    rader: int
    filer: int


def _motor() -> str:
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite":
        return "sqlite"
    raise BackupError(f"Databasmotorn {connection.vendor} stöds inte.")


def _program(namn: str) -> str:
    sokvag = shutil.which(namn)
    if sokvag is None:
        raise BackupError(f"{namn} saknas: installera PostgreSQL-klienten (postgresql-client).")
    return sokvag


def _pg_env() -> dict[str, str]:
    """libpq's environment for Django's own connection settings (the password never in argv)."""
    s = connection.settings_dict
    env = dict(os.environ)
    for nyckel, varde in (
        ("PGHOST", s.get("HOST")),
        ("PGPORT", s.get("PORT")),
        ("PGUSER", s.get("USER")),
        ("PGPASSWORD", s.get("PASSWORD")),
        ("PGDATABASE", s.get("NAME")),
    ):
        if varde:
            env[nyckel] = str(varde)
    return env


def _radantal() -> dict[str, int]:
    """Rows per table of the current database: one COUNT per table."""
    with connection.cursor() as cursor:
        tabeller = sorted(connection.introspection.table_names(cursor))
        antal = {}
        for tabell in tabeller:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(tabell)}")  # noqa: S608
            antal[tabell] = cursor.fetchone()[0]
    return antal


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _media_filer(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(*, katalog: Path, media_root: Path | None = None) -> Path:
    """Write a backup of the database and MEDIA_ROOT to a new tar file in ``katalog``."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    motor = _motor()
    katalog.mkdir(parents=True, exist_ok=True)
    stampel = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    mal = katalog / f"malbild-{stampel}.tar"
    if mal.exists():
        raise BackupError(f"{mal} finns redan.")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        if motor == "postgresql":
            dump = tmp_dir / PG_DUMP
            antal = _pg_dump(dump)
        else:
            dump = tmp_dir / SQLITE_FIL
            connection.ensure_connection()
            with sqlite3.connect(dump) as kopia:
                connection.connection.backup(kopia)
            kopia.close()
            antal = _radantal_i_dump(dump)
        filer = _media_filer(media_root)
        manifest = {
            "format": FORMAT,
            "skapad": timezone.now().isoformat(),
            "motor": motor,
            "tabeller": antal,
            "filer": [
                {
                    "namn": p.relative_to(media_root).as_posix(),
                    "storlek": p.stat().st_size,
                    "sha256": _sha256(p),
                }
                for p in filer
            ],
        }
        delvis = mal.with_suffix(".tar.delvis")
        with tarfile.open(delvis, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for p in filer:
                tar.add(p, arcname=f"media/{p.relative_to(media_root).as_posix()}")
        delvis.rename(mal)
    return mal


def _pg_dump(dump: Path) -> dict[str, int]:
    """pg_dump of an exported snapshot, with the row counts read in that same snapshot,
    so the manifest describes exactly the dump even while the app writes."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        antal = _radantal()
        subprocess.run(  # noqa: S603
            [
                _program("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                "--file",
                str(dump),
            ],
            env=_pg_env(),
            check=True,
        )
    return antal


def _radantal_i_dump(sqlite_fil: Path) -> dict[str, int]:
    with sqlite3.connect(sqlite_fil) as db:
        namn = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        antal = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in namn}  # noqa: S608
    db.close()
    return dict(sorted(antal.items()))


def _las_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError) as exc:
        raise BackupError(
            "Filen är ingen säkerhetskopia från appen (manifest.json saknas)."
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Okänt format på säkerhetskopian: {manifest.get('format')!r}.")
    return manifest


def backup_restore(*, arkiv: Path, media_root: Path | None = None) -> Aterstallning:
    """Restore ``arkiv`` into the (empty) configured database and MEDIA_ROOT, then verify."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    motor = _motor()
    if not arkiv.is_file():
        raise BackupError(f"{arkiv} finns inte.")
    with tarfile.open(arkiv, "r") as tar:
        manifest = _las_manifest(tar)
        if manifest["motor"] != motor:
            raise BackupError(f"Säkerhetskopian är från {manifest['motor']}, databasen är {motor}.")
        if connection.introspection.table_names():
            raise BackupError(
                "Databasen är inte tom. Återställ till en ny, tom databas "
                "(PostgreSQL: createdb; SQLite: en ny fil) och peka DATABASE_URL dit."
            )
        finns = [f["namn"] for f in manifest["filer"] if (media_root / f["namn"]).exists()]
        if finns:
            raise BackupError(
                f"{len(finns)} filer finns redan i MEDIA_ROOT ({media_root}); "
                "återställ till en tom katalog."
            )
        with tempfile.TemporaryDirectory() as tmp:
            tmp_dir = Path(tmp)
            dumpnamn = PG_DUMP if motor == "postgresql" else SQLITE_FIL
            tar.extract(dumpnamn, tmp_dir, filter="data")
            if motor == "postgresql":
                subprocess.run(  # noqa: S603
                    [
                        _program("pg_restore"),
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--dbname",
                        connection.settings_dict["NAME"],
                        str(tmp_dir / PG_DUMP),
                    ],
                    env=_pg_env(),
                    check=True,
                )
            else:
                connection.close()
                with sqlite3.connect(tmp_dir / SQLITE_FIL) as kalla:
                    with sqlite3.connect(connection.settings_dict["NAME"]) as mal:
                        kalla.backup(mal)
                    mal.close()
                kalla.close()
            media = [m for m in tar.getmembers() if m.name.startswith("media/") and m.isfile()]
            media_root.mkdir(parents=True, exist_ok=True)
            for medlem in media:
                medlem.name = medlem.name.removeprefix("media/")
                tar.extract(medlem, media_root, filter="data")
    return _verifiera(manifest, media_root)


def _verifiera(manifest: dict, media_root: Path) -> Aterstallning:
    antal = _radantal()
    fel = [
        f"{tabell}: {n} rader i säkerhetskopian, {antal.get(tabell)} återställda"
        for tabell, n in manifest["tabeller"].items()
        if antal.get(tabell) != n
    ]
    for fil in manifest["filer"]:
        p = media_root / fil["namn"]
        if not p.is_file() or _sha256(p) != fil["sha256"]:
            fel.append(f"{fil['namn']}: saknas eller skiljer sig")
    if fel:
        raise BackupError("Återställningen stämmer inte med säkerhetskopian:\n" + "\n".join(fel))
    return Aterstallning(
        tabeller=len(manifest["tabeller"]),
        rader=sum(manifest["tabeller"].values()),
        filer=len(manifest["filer"]),
    )
