"""Load test: Locust against gunicorn with production settings on PostgreSQL, loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/malbild_last .venv/bin/python loadtest/run.py

1. migrates, seeds national-scale demo data (idempotent) and creates the accounts
   (``loadtest/prepare.py``: planners and verksamhetschefer), with development settings;
2. collects static files and starts gunicorn with production settings (DEBUG=0, one fresh
   random SECRET_KEY shared by every instance, the default cache in the database as in
   production, HTTPS as seen through a proxy:
   ``X-Forwarded-Proto: https`` on every request, so SSL redirect, secure cookies and the
   CSRF origin check all stay on): first one instance, then two on different ports that
   share PostgreSQL (sessions, login locks, the database cache) and MEDIA_ROOT;
3. per instance count runs Locust headless (``loadtest/locustfile.py``), bounded in users
   and run time: the think-time run (``--users`` users, 5–15 s between requests,
   ``--duration`` s) and the closed-loop stress run (no think time, ``--stress-duration``
   s). With two instances every user's requests alternate between them, nothing sticky;
4. after each run checks from the database that every save answered 200 is there
   (``loadtest/kontroll.py``: no lost save); after the runs of an instance count, one
   verksamhetschef logs in through A with B's form, reads through A, saves through B;
5. stops gunicorn and prints one JSON object: per run p50/p95/p99, requests/s and errors
   per request type, the saves checked, the load average before and after.

Exit status 0 only when every run had requests, no error and no lost save, and the
cross-instance check passed.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROT))  # run as a script: `loadtest` is importable from the project root

from loadtest.kontroll import VARDNAMN, instanser_korskontroll  # noqa: E402

KORNINGAR = ("betanketid", "stress")


def _python() -> str:
    kandidat = ROT / ".venv" / "bin" / "python"
    return str(kandidat) if kandidat.exists() else sys.executable


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run one of our own fixed commands (manage.py, locust) in the project root."""
    return subprocess.run(cmd, cwd=ROT, check=True, **kwargs)  # noqa: S603


def _fri_port() -> int:
    with socket.socket() as s:
        s.bind((VARDNAMN, 0))
        return s.getsockname()[1]


def logg(s: str) -> None:
    print(f"loadtest: {s}", file=sys.stderr, flush=True)


def gunicorn_start(py: str, env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = _fri_port()
    server = subprocess.Popen(  # noqa: S603 - fixed argument list
        [
            str(Path(py).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"{VARDNAMN}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROT,
        env=env,
        start_new_session=True,
    )
    for _ in range(150):
        try:
            c = http.client.HTTPConnection(VARDNAMN, port, timeout=2)
            c.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if c.getresponse().status == 200:
                return server, f"http://{VARDNAMN}:{port}"
        except OSError:
            pass
        time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn svarade inte på /healthz")


def plan_prepare(py: str, dev: dict, users: int, losenord: str, fil: Path) -> dict:
    """The accounts and their paths, with the answers' versions as stored right now."""
    ut = _run(
        [py, "-m", "loadtest.prepare", "--users", str(users), "--password", losenord],
        env=dev,
        capture_output=True,
        text=True,
    ).stdout
    fil.write_text(ut, encoding="utf-8")
    return json.loads(ut)


def sparningar_check(py: str, dev: dict, sparningar: dict, fil: Path) -> dict:
    fil.write_text(json.dumps(sparningar, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run(  # noqa: S603 - fixed argument list
        [py, "-m", "loadtest.kontroll", str(fil)],
        cwd=ROT,
        env=dev,
        capture_output=True,
        text=True,
    )
    if r.returncode not in (0, 1):
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout)


def locust_run(
    py: str,
    *,
    instanser: list[str],
    plan_fil: Path,
    resultat_fil: Path,
    users: int,
    spawn_rate: float,
    sekunder: int,
    betanketid: bool,
    schema: str = "https",
    klasser: tuple[str, ...] = (),
) -> dict:
    cmd = [
        str(Path(py).parent / "locust"),
        "-f",
        str(ROT / "loadtest" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{sekunder}s",
        "--stop-timeout",
        "35",  # a request in flight at the end is answered and counted, not cut off
        "--host",
        instanser[0],
        "--instanser",
        ",".join(instanser),
        "--plan",
        str(plan_fil),
        "--resultat",
        str(resultat_fil),
        "--schema",
        schema,
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",  # errors are counted in the result, not by exit status
    ]
    if not betanketid:
        cmd.append("--utan-betanketid")
    cmd += klasser  # only these user classes (default: both, by their weights)
    subprocess.run(cmd, cwd=ROT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    return json.loads(resultat_fil.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(prog="loadtest/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2,
        help="users started (and logged in: a password hash each) per second",
    )
    parser.add_argument("--duration", type=int, default=120, help="think-time run, seconds")
    parser.add_argument("--stress-duration", type=int, default=60, help="stress run, seconds")
    parser.add_argument("--instances", default="1,2", help="instance counts to run, e.g. 1,2")
    parser.add_argument("--runs", default=",".join(KORNINGAR), help="betanketid,stress")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers per instance",
    )
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()
    korningar = [k for k in args.runs.split(",") if k]
    if set(korningar) - set(KORNINGAR):
        parser.error(f"--runs: {', '.join(KORNINGAR)}")
    antal_instanser = [int(n) for n in args.instances.split(",") if n]

    db = os.environ.get("DATABASE_URL", "")
    if not db.startswith(("postgres://", "postgresql://")):
        print(
            "Sätt DATABASE_URL till en PostgreSQL-databas (lasttestet körs mot PostgreSQL).",
            file=sys.stderr,
        )
        return 2
    py = _python()
    dev = {**os.environ, "DEBUG": "1"}
    logg("migrerar och skapar demodata (nationell skala)")
    _run([py, "manage.py", "migrate", "--noinput", "-v0"], env=dev)
    if not args.skip_seed:
        _run(
            [py, "manage.py", "seed_demo", "--scale", "national", "-v0"],
            env=dev,
            stdout=subprocess.DEVNULL,
        )
    losenord = secrets.token_urlsafe(16)
    prod = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # one key for every instance
        "ALLOWED_HOSTS": VARDNAMN,
        "LOG_LEVEL": "WARNING",
    }
    _run([py, "manage.py", "collectstatic", "--noinput", "-v0"], env=prod)
    cache = _run(
        [
            py,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            "from django.conf import settings as s; print(s.CACHES['default'])",
        ],
        env=prod,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ut: dict = {
        "users": args.users,
        "gunicorn_workers_per_instance": args.workers,
        "cpus": os.cpu_count(),
        "database": "postgresql",
        "default_cache": cache,
        "runs": [],
        "cross_instance_checks": [],
    }
    ok = True
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        tmp = Path(tmp)
        for n in antal_instanser:
            logg(f"startar {n} gunicorn-instans(er) med {args.workers} workers var")
            servrar = []
            try:
                for _ in range(n):
                    servrar.append(gunicorn_start(py, prod, args.workers))
                instanser = [url for _, url in servrar]
                for korning in korningar:
                    plan = plan_prepare(py, dev, args.users, losenord, tmp / "plan.json")
                    sekunder = args.duration if korning == "betanketid" else args.stress_duration
                    logg(f"{korning}: {args.users} användare i {sekunder} s mot {instanser}")
                    fore = os.getloadavg()
                    r = locust_run(
                        py,
                        instanser=instanser,
                        plan_fil=tmp / "plan.json",
                        resultat_fil=tmp / "resultat.json",
                        users=args.users,
                        spawn_rate=args.spawn_rate,
                        sekunder=sekunder,
                        betanketid=korning == "betanketid",
                    )
                    efter = os.getloadavg()
                    kontroll = sparningar_check(py, dev, r.pop("sparningar"), tmp / "spar.json")
                    ok &= r["all"]["requests"] > 0 and r["all"]["errors"] == 0
                    ok &= not kontroll["lost"] and kontroll["saves"] > 0
                    ut["runs"].append(
                        {
                            "instances": n,
                            "run": korning,
                            "think_time_s": [5, 15] if korning == "betanketid" else 0,
                            "duration_s": sekunder,
                            "loadavg_before": [round(x, 2) for x in fore],
                            "loadavg_after": [round(x, 2) for x in efter],
                            **r,
                            "saves_checked": kontroll,
                        }
                    )
                    logg(f"{korning}: {json.dumps(r['all_but_login'])}, sparningar {kontroll}")
                plan = plan_prepare(py, dev, args.users, losenord, tmp / "plan.json")
                fel, sparning = instanser_korskontroll(instanser, plan)
                if sparning:
                    fel += [
                        str(x) for x in sparningar_check(py, dev, sparning, tmp / "k.json")["lost"]
                    ]
                ok &= not fel
                ut["cross_instance_checks"].append({"instances": instanser, "failures": fel})
            finally:
                for server, _ in servrar:
                    os.killpg(server.pid, signal.SIGTERM)
                    server.wait(30)
    json.dump(ut, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
