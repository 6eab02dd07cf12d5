"""The load test's users for Locust: planners and verksamhetschefer, as in a working day.

Run by ``loadtest/run.py`` (which prepares the accounts and starts gunicorn), e.g.::

    locust -f loadtest/locustfile.py --headless -u 50 -r 5 --run-time 120s \\
        --plan plan.json --instanser http://127.0.0.1:8001,http://127.0.0.1:8002 \\
        --resultat resultat.json

- ``Planerare``: the region dashboard, gap reports of units in the region, now and then a
  unit's färdplan (PDF).
- ``Verksamhetschef``: opens its own self-assessment (the one-page form), saves answers
  one at a time as htmx does (``X-CSRFToken`` from the page's ``hx-headers``), reads its
  gap report, now and then downloads its färdplan.

Think time ``between(5, 15)`` s after each request; ``--utan-betanketid`` for the
closed-loop stress run (each user sends its next request when the last one answered).

Several instances (``--instanser``): every user sends its requests to them in turn, the
first to instance ``i mod n`` for user ``i``; nothing is sticky, so logging in on one and
posting on the next is the normal case. All instances are reached as one origin
(``Host: 127.0.0.1``, ``X-Forwarded-Proto: https``), as a round-robin load balancer in
front of them would present them: the app's CSRF origin check, secure cookies and HTTPS
redirect stay on. Only loopback addresses are accepted.

At the end ``--resultat`` gets one JSON object: per request type (and over all types but
the login, whose password hash is a cost of its own) requests, failures, p50/p95/p99 and
requests/s from Locust's stats, the failures, and every save answered 200 (path → the
number of saves, the last level and explanation sent, the version the server answered) for
``loadtest/kontroll.py`` to compare with the database: no lost save.
"""

import itertools
import json
import random
import re
import secrets
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from locust.stats import StatsEntry

VARDNAMN = "127.0.0.1"
BETANKETID = between(5, 15)
TIMEOUT = 30
_CSRF_SIDA = re.compile(r'"X-CSRFToken": "([^"]+)"')
_CSRF_FALT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_plan: dict = {}
_pooler: dict[str, itertools.count] = {}
_nummer = itertools.count()
sparningar: dict[str, dict] = {}  # save path -> what the users saved there, answered 200


@events.init_command_line_parser.add_listener
def _argument(parser):
    parser.add_argument("--plan", default="", help="JSON from loadtest.prepare")
    parser.add_argument("--instanser", default="", help="comma-separated base URLs")
    parser.add_argument("--resultat", default="", help="where the results are written")
    parser.add_argument("--utan-betanketid", action="store_true", help="closed loop")
    parser.add_argument("--schema", default="https", help="the scheme the app is told")


@events.test_start.add_listener
def _start(environment, **_):
    opt = environment.parsed_options
    with open(opt.plan, encoding="utf-8") as f:
        _plan.update(json.load(f))
    instanser = [u.rstrip("/") for u in (opt.instanser or environment.host or "").split(",") if u]
    if not instanser:
        raise SystemExit("Ange --instanser eller --host.")
    for u in instanser:
        if urlsplit(u).hostname != VARDNAMN:
            raise SystemExit(f"Bara loopback ({VARDNAMN}): {u}")
    _plan["instanser"] = instanser
    _plan["korning"] = secrets.token_hex(3)  # every save of this run differs from the last run's
    _pooler.update({"planerare": itertools.count(), "verksamhetschefer": itertools.count()})


def _sammanfatta(e: StatsEntry) -> dict:
    return {
        "requests": e.num_requests,
        "errors": e.num_failures,
        "p50_ms": e.get_response_time_percentile(0.5) if e.num_requests else None,
        "p95_ms": e.get_response_time_percentile(0.95) if e.num_requests else None,
        "p99_ms": e.get_response_time_percentile(0.99) if e.num_requests else None,
        "mean_ms": round(e.avg_response_time, 1),
        "rps": round(e.total_rps, 2),
    }


def stats_sammanfatta(stats) -> dict:
    """Per request name (GET and POST together), and over every name but the login."""
    per_namn: dict[str, StatsEntry] = {}
    utom_inloggning = StatsEntry(stats, "utan inloggning", "")
    for e in stats.entries.values():
        per_namn.setdefault(e.name, StatsEntry(stats, e.name, "")).extend(e)
        if e.name != "inloggning":
            utom_inloggning.extend(e)
    return {
        "all": _sammanfatta(stats.total),
        "all_but_login": _sammanfatta(utom_inloggning),
        "by_kind": {n: _sammanfatta(e) for n, e in sorted(per_namn.items())},
        "failures": [
            {"name": f.name, "error": str(f.error), "occurrences": f.occurrences}
            for f in stats.errors.values()
        ],
    }


@events.quitting.add_listener
def _slut(environment, **_):
    if environment.parsed_options and environment.parsed_options.resultat:
        ut = {**stats_sammanfatta(environment.stats), "sparningar": sparningar}
        with open(environment.parsed_options.resultat, "w", encoding="utf-8") as f:
            json.dump(ut, f, ensure_ascii=False, indent=1)


class Anvandare(HttpUser):
    """One browser: its own cookies, CSRF token and account from the plan."""

    abstract = True
    pool = ""
    host = f"http://{VARDNAMN}"  # overridden per request by the instance list

    def wait_time(self):
        return 0 if self.environment.parsed_options.utan_betanketid else BETANKETID(self)

    def on_start(self):
        pool = _plan[self.pool]
        i = next(_pooler[self.pool])
        if i >= len(pool):
            raise StopUser  # more users of this role than prepared accounts
        self.plan = pool[i]
        self.rng = random.Random(self.plan["username"])
        self.turordning = itertools.cycle(_plan["instanser"])
        for _ in range(next(_nummer) % len(_plan["instanser"])):
            next(self.turordning)
        self.schema = self.environment.parsed_options.schema
        self.origin = f"{self.schema}://{VARDNAMN}"
        self.csrf = ""
        self.login()

    def request(self, metod: str, path: str, namn: str, *, data=None, headers=None, ok=200):
        """One request to the next instance in turn; a status other than ``ok`` fails it."""
        h = {"Host": VARDNAMN, "X-Forwarded-Proto": self.schema}
        if data is not None:
            h |= {"Origin": self.origin, "Referer": self.origin + path}
        h |= headers or {}
        with self.client.request(
            metod,
            next(self.turordning) + path,
            name=namn,
            data=data,
            headers=h,
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as r:
            if r.status_code != ok:
                r.failure(f"{r.status_code} (väntade {ok})")
        # The app sees HTTPS (behind the proxy) and sets secure cookies; the loopback is plain
        # HTTP, so the cookie jar is told they may travel over it, as the proxy would send them.
        for cookie in self.client.cookies:
            cookie.secure = False
        return r

    def login(self) -> None:
        r = self.request("GET", _plan["login"], "inloggning")
        token = _CSRF_FALT.search(r.text or "")
        if not token:
            raise StopUser
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "username": self.plan["username"],
            "password": _plan["password"],
        }
        r = self.request("POST", _plan["login"], "inloggning", data=data, ok=302)
        if r.status_code != 302 or "sessionid" not in self.client.cookies:
            raise StopUser

    def page(self, path: str, namn: str):
        r = self.request("GET", path, namn)
        token = _CSRF_SIDA.search(r.text or "") if r.status_code == 200 else None
        if token:
            self.csrf = token.group(1)
        return r


class Planerare(Anvandare):
    pool = "planerare"

    @task(28)
    def dashboard(self):
        self.page(self.plan["dashboard"], "regionoversikt")

    @task(11)
    def gaprapport(self):
        self.page(self.rng.choice(self.plan["gaprapporter"]), "gaprapport")

    @task(1)
    def fardplan(self):
        self.request("GET", self.rng.choice(self.plan["fardplaner"]), "fardplan_pdf")


class Verksamhetschef(Anvandare):
    pool = "verksamhetschefer"

    def on_start(self):
        super().on_start()
        self.nasta = 0
        self.page(self.plan["formular"], "formular")

    @task(20)
    def save(self):
        """An htmx autosave of one answer: a new level and explanation every time."""
        if not self.csrf:  # the form did not load yet: a browser has nothing to save from
            self.page(self.plan["formular"], "formular")
            if not self.csrf:
                return
        save = self.plan["saves"][self.nasta % len(self.plan["saves"])]
        self.nasta += 1
        p = f"k{save['kriterium']}"
        niva = 3 if save.get("niva") != 3 else 2
        version = save["version"]
        motivering = (
            f"Rutin finns och följs upp på APT ({self.plan['username']}, {_plan['korning']}, "
            f"{self.nasta})."
        )
        r = self.request(
            "POST",
            save["path"],
            "sparning",
            data={
                f"{p}-svar": str(niva),
                f"{p}-motivering": motivering,
                f"{p}-underlag": "",
                f"{p}-version": str(version),
            },
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf},
        )
        if r.status_code != 200:
            return
        ny = re.search(rf'name="{p}-version"[^>]*value="(\d+)"', r.text) or re.search(
            rf'value="(\d+)"[^>]*name="{p}-version"', r.text
        )
        save["niva"] = niva
        save["version"] = int(ny.group(1)) if ny else version + 1
        rad = sparningar.setdefault(
            save["path"],
            {
                "sjalvskattning": self.plan["sjalvskattning"],
                "kriterium": save["kriterium"],
                "version_fore": version,
                "antal": 0,
            },
        )
        rad |= {
            "antal": rad["antal"] + 1,
            "niva": niva,
            "motivering": motivering,
            "version": save["version"],
        }

    @task(14)
    def gaprapport(self):
        self.page(self.plan["gaprapport"], "gaprapport")

    @task(5)
    def formular(self):
        self.page(self.plan["formular"], "formular")

    @task(1)
    def fardplan(self):
        self.request("GET", self.plan["fardplan"], "fardplan_pdf")
