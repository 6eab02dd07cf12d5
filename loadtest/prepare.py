"""Create the load-test users and print what each one will request, as JSON.

``python -m loadtest.prepare --users 50`` (development settings, DEBUG=1). Users are
planners, spread over the regions roughly by their number of units; each gets its own
open self-assessment to save answers in, so saves never collide between users.
Run by ``loadtest/run.py``; idempotent.
"""

import argparse
import json
import os
import secrets
import sys


def loadtest_users_prepare(*, antal: int, losenord: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from malbild.models import Kriterium
    from vardcentraler.models import Omgang, Profil, Region, Sjalvskattning, Vardcentral

    def url(namn, *args):
        try:
            return reverse(namn, args=args)
        except NoReverseMatch:
            return None

    User = get_user_model()
    hash_ = make_password(losenord)  # one hash for all: logging in still checks it
    regioner = list(
        Region.objects.annotate(n=Count("vardcentraler")).filter(n__gt=0).order_by("-n", "kod")
    )
    if not regioner:
        raise SystemExit("Inga vårdcentraler: kör seed_demo --scale national först.")
    totalt = sum(r.n for r in regioner)
    # Largest remainder: users per region in proportion to units, at least one each region first.
    kvoter = {r.kod: r.n * antal / totalt for r in regioner}
    per_region = {kod: int(k) for kod, k in kvoter.items()}
    for kod in sorted(kvoter, key=lambda k: kvoter[k] - per_region[k], reverse=True):
        if sum(per_region.values()) >= antal:
            break
        per_region[kod] += 1
    anvandare = []
    with transaction.atomic():
        for region in regioner:
            omgang = (
                Omgang.objects.filter(region=region, status=Omgang.Status.OPPEN)
                .order_by("-period_start")
                .first()
            )
            oppna = list(
                Sjalvskattning.objects.filter(
                    omgang=omgang,
                    status__in=[
                        Sjalvskattning.Status.PAGAR,
                        Sjalvskattning.Status.ATERSAND,
                        Sjalvskattning.Status.EJ_PABORJAD,
                    ],
                )
                .select_related("vardcentral")
                .order_by("vardcentral__hsa_id")
            )
            kriterier = (
                list(
                    Kriterium.objects.for_version(omgang.malbild_version_id).values_list(
                        "pk", flat=True
                    )
                )
                if omgang
                else []
            )
            enheter = list(
                Vardcentral.objects.filter(region=region)
                .order_by("hsa_id")
                .values_list("hsa_id", flat=True)
            )
            for i in range(per_region.get(region.kod, 0)):
                namn = f"last-{region.kod}-{i + 1:02d}"
                user, _ = User.objects.update_or_create(
                    username=namn, defaults={"password": hash_, "is_active": True}
                )
                Profil.objects.update_or_create(
                    anvandare=user, defaults={"roll": Profil.Roll.PLANERARE, "region": region}
                )
                s = oppna[i] if i < len(oppna) else None
                saves = []
                if s is not None:
                    versioner = dict(s.svar.values_list("kriterium_id", "version"))
                    for k in kriterier[:8]:
                        path = url("vardcentraler:svar_save", omgang.pk, s.vardcentral.hsa_id, k)
                        if path:
                            saves.append(
                                {"path": path, "kriterium": k, "version": versioner.get(k, 0)}
                            )
                anvandare.append(
                    {
                        "username": namn,
                        "region": region.kod,
                        "dashboard": url("uppfoljning:region_oversikt", region.kod),
                        "gaprapporter": [
                            p
                            for p in (
                                url("uppfoljning:gaprapport_detail", h)
                                for h in enheter[i :: max(per_region[region.kod], 1)][:20]
                            )
                            if p
                        ],
                        "saves": saves,
                    }
                )
    return {"users": anvandare, "login": reverse("login")}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.prepare")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--password", default=None)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    losenord = args.password or secrets.token_urlsafe(16)
    plan = loadtest_users_prepare(antal=args.users, losenord=losenord)
    plan["password"] = losenord
    json.dump(plan, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
