"""Checks after a load run: no lost save, and one user across instances.

``python -m loadtest.kontroll saves.json`` (development settings, DEBUG=1) compares the saves
Locust recorded (``loadtest/locustfile.py``: every save answered 200) with the database and
prints the result as JSON; exit status 1 when any save is missing.

``instanser_korskontroll`` is the explicit version of what alternating requests do all the
time: log in through instance A with a form from B, read through A with the session B made,
save through B with the CSRF token A's page carried; a POST without a token must be refused.
"""

import argparse
import json
import os
import re
import sys

VARDNAMN = "127.0.0.1"
TIMEOUT = 30


def sparningar_check(sparningar: dict[str, dict]) -> dict:
    """Every save answered 200 is in the database: the answer holds the last level and text
    sent, and its version rose by exactly the number of saves (each changed the text, so each
    bumped the version; one more or fewer is a save lost or made twice)."""
    from vardcentraler.models import Svar

    nycklar = {(r["sjalvskattning"], r["kriterium"]) for r in sparningar.values()}
    i_db = {
        (s.sjalvskattning_id, s.kriterium_id): s
        for s in Svar.objects.filter(
            sjalvskattning_id__in={s for s, _ in nycklar}, kriterium_id__in={k for _, k in nycklar}
        )
    }
    forlorade = []
    for path, r in sorted(sparningar.items()):
        s = i_db.get((r["sjalvskattning"], r["kriterium"]))
        vantat = (r["niva"], r["motivering"], r["version_fore"] + r["antal"], r["version"])
        funnet = (s.niva, s.motivering, s.version, s.version) if s else None
        if funnet != vantat:
            forlorade.append({"path": path, "expected": vantat, "found": funnet})
    return {
        "answers": len(sparningar),
        "saves": sum(r["antal"] for r in sparningar.values()),
        "lost": forlorade,
    }


def instanser_korskontroll(
    instanser: list[str], plan: dict, *, schema: str = "https"
) -> tuple[list[str], dict[str, dict]]:
    """One verksamhetschef across the instances (A = first, B = last; the same when only one).

    Returns (failures, the save made, in ``sparningar_check``'s shape)."""
    a, b = instanser[0], instanser[-1]
    origin = f"{schema}://{VARDNAMN}"
    chef = plan["verksamhetschefer"][-1]
    import requests

    s = requests.Session()
    s.headers.update({"Host": VARDNAMN, "X-Forwarded-Proto": schema})
    fel: list[str] = []

    def svar(r):
        for rad in r.raw.headers.getlist("Set-Cookie"):
            if schema == "https" and "secure" not in rad.lower():
                fel.append(f"kakan {rad.split('=', 1)[0]} sattes utan Secure")
        # The app sees HTTPS behind the proxy and sets secure cookies; the loopback is plain
        # HTTP, so the jar is told they may travel over it, as the proxy would send them.
        for cookie in s.cookies:
            cookie.secure = False
        return r

    def get(bas, path):
        return svar(s.get(bas + path, allow_redirects=False, timeout=TIMEOUT))

    def post(bas, path, data, headers=None):
        h = {"Origin": origin, "Referer": origin + path, **(headers or {})}
        return svar(
            s.post(bas + path, data=data, headers=h, allow_redirects=False, timeout=TIMEOUT)
        )

    r = get(a, plan["login"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text)
    if not token:
        return [f"inloggningssidan på A svarade {r.status_code} utan CSRF-token"], {}
    data = {"username": chef["username"], "password": plan["password"]}
    r = post(b, plan["login"], data | {"csrfmiddlewaretoken": token.group(1)})
    if r.status_code != 302 or "sessionid" not in s.cookies:
        return [f"inloggning på B med formuläret från A svarade {r.status_code}"], {}
    r = get(a, chef["formular"])
    token = re.search(r'"X-CSRFToken": "([^"]+)"', r.text) if r.status_code == 200 else None
    if not token:
        return [f"formuläret på A med sessionen från B svarade {r.status_code}"], {}
    # The answer's version as stored now, read through A as the page shows it.
    save = chef["saves"][-1]
    p = f"k{save['kriterium']}"
    version = re.search(rf'name="{p}-version"[^>]*value="(\d+)"', r.text) or re.search(
        rf'value="(\d+)"[^>]*name="{p}-version"', r.text
    )
    version = int(version.group(1)) if version else 0
    motivering = f"Korskontroll: inloggad via B, sidan via A, sparad via B ({version})."
    falt = {f"{p}-svar": "2", f"{p}-motivering": motivering, f"{p}-underlag": ""}
    falt[f"{p}-version"] = str(version)
    utan_token = post(b, save["path"], falt, {"HX-Request": "true"})
    if utan_token.status_code != 403:
        fel.append(f"sparning utan CSRF-token på B svarade {utan_token.status_code}, inte 403")
    r = post(b, save["path"], falt, {"HX-Request": "true", "X-CSRFToken": token.group(1)})
    if r.status_code != 200:
        return [*fel, f"sparning på B med token från A:s sida svarade {r.status_code}"], {}
    return fel, {
        save["path"]: {
            "sjalvskattning": chef["sjalvskattning"],
            "kriterium": save["kriterium"],
            "version_fore": version,
            "antal": 1,
            "niva": 2,
            "motivering": motivering,
            "version": version + 1,
        }
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.kontroll")
    parser.add_argument("sparningar", help="JSON written by the locustfile (--sparningar)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    with open(args.sparningar, encoding="utf-8") as f:
        ut = sparningar_check(json.load(f))
    json.dump(ut, sys.stdout, ensure_ascii=False)
    return 1 if ut["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
