"""Load test: N concurrent users against gunicorn with production settings, on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/malbild_last .venv/bin/python loadtest/run.py

1. migrates, seeds national-scale demo data (idempotent) and creates the users
   (``loadtest/prepare.py``), all with development settings;
2. collects static files and starts gunicorn on 127.0.0.1 with production settings
   (DEBUG=0, a fresh random SECRET_KEY, HTTPS as seen through a proxy:
   ``X-Forwarded-Proto: https`` on every request, so SSL redirect, secure cookies and the
   CSRF origin check all stay on);
3. logs every user in through the real login form, then runs a closed loop for
   ``--duration`` seconds or ``--max-requests`` requests, whichever comes first: each user
   sends its next request as soon as the last one answered (no think time), mixing region
   dashboards, gap reports and htmx saves of an answer (with the CSRF token);
4. stops gunicorn and prints one JSON object: throughput, p50/p95/p99 latency (overall and
   per kind) and errors (any status other than the expected one, or a failed connection).

Only the loopback address is used. The standard library is enough: threads with
``http.client``.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROT = Path(__file__).resolve().parent.parent
VARDNAMN = "127.0.0.1"
MIX = (("dashboard", 0.4), ("gaprapport", 0.35), ("save", 0.25))
TIMEOUT = 30


def _python() -> str:
    kandidat = ROT / ".venv" / "bin" / "python"
    return str(kandidat) if kandidat.exists() else sys.executable


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run one of our own fixed commands (manage.py, gunicorn) in the project root."""
    return subprocess.run(cmd, cwd=ROT, check=True, **kwargs)  # noqa: S603


def _fri_port() -> int:
    with socket.socket() as s:
        s.bind((VARDNAMN, 0))
        return s.getsockname()[1]


def _percentil(varden: list[float], p: float) -> float | None:
    if not varden:
        return None
    v = sorted(varden)
    k = (len(v) - 1) * p / 100
    f, c = int(k), min(int(k) + 1, len(v) - 1)
    return round(v[f] + (v[c] - v[f]) * (k - f), 1)


class Anvandare:
    """One logged-in user: its own connection and cookies, like one browser."""

    def __init__(self, port: int, plan: dict, *, schema: str = "https"):
        self.port = port
        self.schema = schema  # as the app sees it behind the proxy
        self.plan = plan
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(VARDNAMN, port, timeout=TIMEOUT)
        self.rng = random.Random(plan["username"])
        self.save_index = 0

    @property
    def origin(self) -> str:
        return f"{self.schema}://{VARDNAMN}:{self.port}"

    def request(self, metod: str, path: str, body: dict | None = None, headers=None):
        h = {
            "Host": f"{VARDNAMN}:{self.port}",
            "X-Forwarded-Proto": self.schema,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "User-Agent": "malbild-loadtest",
        }
        data = None
        if body is not None:
            data = urlencode(body).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
            h["Origin"] = self.origin
            h["Referer"] = self.origin + path
        h.update(headers or {})
        try:
            self.conn.request(metod, path, body=data, headers=h)
            r = self.conn.getresponse()
            innehall = r.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reconnect on the next request
            raise
        for varde in r.headers.get_all("Set-Cookie") or []:
            namn, _, rest = varde.partition("=")
            self.cookies[namn.strip()] = rest.split(";", 1)[0]
        if r.headers.get("Connection", "").lower() == "close":
            self.conn.close()
        return r.status, innehall

    def login(self, login_path: str, losenord: str) -> None:
        status, html = self.request("GET", login_path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not token:
            raise RuntimeError(f"inloggningssidan svarade {status}")
        status, _ = self.request(
            "POST",
            login_path,
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": self.plan["username"],
                "password": losenord,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"inloggningen för {self.plan['username']} svarade {status}")

    def kinds(self) -> list[tuple[str, float]]:
        finns = {
            "dashboard": bool(self.plan["dashboard"]),
            "gaprapport": bool(self.plan["gaprapporter"]),
            "save": bool(self.plan["saves"]),
        }
        return [(k, p) for k, p in MIX if finns[k]]

    def one(self, kind: str) -> tuple[int, int]:
        """One request of the given kind; returns (status, expected status)."""
        if kind == "dashboard":
            return self.request("GET", self.plan["dashboard"])[0], 200
        if kind == "gaprapport":
            return self.request("GET", self.rng.choice(self.plan["gaprapporter"]))[0], 200
        save = self.plan["saves"][self.save_index % len(self.plan["saves"])]
        self.save_index += 1
        p = f"k{save['kriterium']}"
        save["niva"] = 3 if save.get("niva") != 3 else 2  # a real change every time
        status, html = self.request(
            "POST",
            save["path"],
            {
                f"{p}-svar": str(save["niva"]),
                f"{p}-motivering": "Rutin finns och följs upp på APT.",
                f"{p}-underlag": "",
                f"{p}-version": str(save["version"]),
            },
            headers={"HX-Request": "true", "X-CSRFToken": self.cookies.get("csrftoken", "")},
        )
        if status == 200:
            ny = re.search(rf'name="{p}-version"[^>]*value="(\d+)"'.encode(), html) or re.search(
                rf'value="(\d+)"[^>]*name="{p}-version"'.encode(), html
            )
            save["version"] = int(ny.group(1)) if ny else save["version"] + 1
        return status, 200


def kor_last(anvandare: list[Anvandare], *, duration: float, max_requests: int) -> dict:
    resultat: list[tuple[str, float, int, int]] = []  # kind, ms, status, expected
    fel: list[str] = []
    las = threading.Lock()
    stopp = threading.Event()
    raknare = iter(range(max_requests))

    def arbetare(a: Anvandare) -> None:
        kinds = a.kinds()
        while kinds and not stopp.is_set():
            with las:
                if next(raknare, None) is None:
                    stopp.set()
                    return
            kind = a.rng.choices([k for k, _ in kinds], weights=[p for _, p in kinds])[0]
            start = time.perf_counter()
            try:
                status, forvantad = a.one(kind)
            except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                status, forvantad = 0, 200
                with las:
                    fel.append(f"{kind}: {type(exc).__name__}: {exc}")
            ms = (time.perf_counter() - start) * 1000
            with las:
                resultat.append((kind, ms, status, forvantad))

    tradar = [threading.Thread(target=arbetare, args=(a,), daemon=True) for a in anvandare]
    start = time.perf_counter()
    for t in tradar:
        t.start()
    stopp.wait(duration)
    stopp.set()
    for t in tradar:
        t.join(TIMEOUT + 5)
    tid = time.perf_counter() - start

    def sammanfatta(rader):
        ms = [r[1] for r in rader]
        return {
            "requests": len(rader),
            "errors": sum(1 for r in rader if r[2] != r[3]),
            "p50_ms": _percentil(ms, 50),
            "p95_ms": _percentil(ms, 95),
            "p99_ms": _percentil(ms, 99),
            "mean_ms": round(statistics.mean(ms), 1) if ms else None,
        }

    ut = {
        "duration_s": round(tid, 1),
        "throughput_rps": round(len(resultat) / tid, 1),
        **sammanfatta(resultat),
        "by_kind": {kind: sammanfatta([r for r in resultat if r[0] == kind]) for kind, _ in MIX},
    }
    statusar: dict[str, int] = {}
    for r in resultat:
        if r[2] != r[3]:
            nyckel = f"{r[0]} {r[2]}"
            statusar[nyckel] = statusar.get(nyckel, 0) + 1
    ut["error_statuses"] = statusar
    ut["error_examples"] = fel[:5]
    return ut


def main() -> int:
    parser = argparse.ArgumentParser(prog="loadtest/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()

    db = os.environ.get("DATABASE_URL", "")
    if not db.startswith(("postgres://", "postgresql://")):
        print(
            "Sätt DATABASE_URL till en PostgreSQL-databas (lasttestet körs mot PostgreSQL).",
            file=sys.stderr,
        )
        return 2
    py = _python()
    dev = {**os.environ, "DEBUG": "1"}

    def logg(s: str) -> None:
        print(f"loadtest: {s}", file=sys.stderr, flush=True)

    logg("migrerar och skapar demodata (nationell skala)")
    _run([py, "manage.py", "migrate", "--noinput", "-v0"], env=dev)
    if not args.skip_seed:
        _run(
            [py, "manage.py", "seed_demo", "--scale", "national", "-v0"],
            env=dev,
            stdout=subprocess.DEVNULL,
        )
    plan = json.loads(
        _run(
            [py, "-m", "loadtest.prepare", "--users", str(args.users)],
            env=dev,
            capture_output=True,
            text=True,
        ).stdout
    )
    prod = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": VARDNAMN,
        "LOG_LEVEL": "WARNING",
    }
    _run([py, "manage.py", "collectstatic", "--noinput", "-v0"], env=prod)
    port = _fri_port()
    gunicorn = str(Path(py).parent / "gunicorn")
    logg(f"startar gunicorn ({args.workers} workers) på {VARDNAMN}:{port}")
    server = subprocess.Popen(  # noqa: S603 - fixed argument list
        [
            gunicorn,
            "config.wsgi",
            "--bind",
            f"{VARDNAMN}:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROT,
        env=prod,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection(VARDNAMN, port, timeout=2)
                c.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn svarade inte på /healthz")
        anvandare = [Anvandare(port, u) for u in plan["users"]]
        logg(f"loggar in {len(anvandare)} användare")
        for a in anvandare:
            a.login(plan["login"], plan["password"])
        saknas = sorted({k for k, _ in MIX} - {k for a in anvandare for k, _ in a.kinds()})
        logg(f"kör {args.duration:g} s med {len(anvandare)} samtidiga användare")
        belastning_fore = round(os.getloadavg()[0], 2)
        ut = kor_last(anvandare, duration=args.duration, max_requests=args.max_requests)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    ut = {
        "users": len(anvandare),
        "gunicorn_workers": args.workers,
        "cpus": os.cpu_count(),
        "database": "postgresql",
        "missing_kinds": saknas,
        # The 1-minute load average before the run: above ~0.5 others share the machine.
        "loadavg_1min_before": belastning_fore,
        **ut,
    }
    json.dump(ut, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0 if ut["errors"] == 0 and ut["requests"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
