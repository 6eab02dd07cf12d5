"""Create the load-test users and write what each one will request, as JSON.

``python -m loadtest.prepare --users 50`` (development settings, DEBUG=1). Two pools of
``--users`` accounts each, spread over the regions roughly by their number of units, so
that Locust can draw as many of either role as its user weights ask for:

- planners (``last-<region>-NN``): the region dashboard, gap reports and färdplaner of
  units in their region;
- verksamhetschefer (``last-vc-<region>-NN``): each is chief of one unit with an open
  self-assessment of its own, where it saves answers, so saves never collide between users.

Run by ``loadtest/run.py``; idempotent (the users are updated, not duplicated).
"""

import argparse
import json
import os
import secrets
import sys


def _per_region(regioner, antal: int) -> dict[str, int]:
    """Largest remainder: ``antal`` users over the regions in proportion to their units."""
    totalt = sum(r.n for r in regioner)
    kvoter = {r.kod: r.n * antal / totalt for r in regioner}
    per_region = {kod: int(k) for kod, k in kvoter.items()}
    for kod in sorted(kvoter, key=lambda k: kvoter[k] - per_region[k], reverse=True):
        if sum(per_region.values()) >= antal:
            break
        per_region[kod] += 1
    return per_region


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
    per_region = _per_region(regioner, antal)
    planerare, chefer = [], []

    def konto(namn: str, roll: str, region) -> object:
        user, _ = User.objects.update_or_create(
            username=namn, defaults={"password": hash_, "is_active": True}
        )
        profil, _ = Profil.objects.update_or_create(
            anvandare=user, defaults={"roll": roll, "region": region}
        )
        return profil

    with transaction.atomic():
        for region in regioner:
            n = per_region.get(region.kod, 0)
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
            for i in range(n):
                konto(f"last-{region.kod}-{i + 1:02d}", Profil.Roll.PLANERARE, region)
                mina = enheter[i :: max(n, 1)][:20]
                planerare.append(
                    {
                        "username": f"last-{region.kod}-{i + 1:02d}",
                        "region": region.kod,
                        "dashboard": url("uppfoljning:region_oversikt", region.kod),
                        "gaprapporter": [
                            p for p in (url("uppfoljning:gaprapport_detail", h) for h in mina) if p
                        ],
                        "fardplaner": [
                            p
                            for p in (
                                url("uppfoljning:fardplan_pdf", omgang.pk, h) if omgang else None
                                for h in mina[:5]
                            )
                            if p
                        ],
                    }
                )
                s = oppna[i] if i < len(oppna) else None
                if s is None:
                    continue  # fewer open self-assessments than chiefs wanted in this region
                namn = f"last-vc-{region.kod}-{i + 1:02d}"
                profil = konto(namn, Profil.Roll.VERKSAMHETSCHEF, None)
                profil.vardcentraler.set([s.vardcentral])
                hsa = s.vardcentral.hsa_id
                versioner = dict(s.svar.values_list("kriterium_id", "version"))
                chefer.append(
                    {
                        "username": namn,
                        "region": region.kod,
                        "sjalvskattning": s.pk,
                        "formular": url("vardcentraler:sjalvskattning_detail", omgang.pk, hsa),
                        "gaprapport": url("uppfoljning:gaprapport_detail", hsa),
                        "fardplan": url("uppfoljning:fardplan_pdf", omgang.pk, hsa),
                        "saves": [
                            {
                                "path": path,
                                "kriterium": k,
                                "version": versioner.get(k, 0),
                            }
                            for k in kriterier[:8]
                            if (path := url("vardcentraler:svar_save", omgang.pk, hsa, k))
                        ],
                    }
                )
    return {"planerare": planerare, "verksamhetschefer": chefer, "login": reverse("login")}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.prepare")
    parser.add_argument("--users", type=int, default=50, help="accounts per role")
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
