"""Render times and page counts of the PDF reports on the current database.

Run against a database with real-looking rounds (e.g. after seed_demo, or the 200-unit
region that tests/uppfoljning/pdf_data.py builds):

    DEBUG=0 SECRET_KEY=bench DJANGO_SETTINGS_MODULE=config.settings \
        .venv/bin/python -m tests.uppfoljning.bench_pdf [omgang-id]

Prints one line per measurement. No timing is asserted anywhere.
"""

import io
import statistics
import sys
import time

import django


def main() -> None:
    django.setup()
    from pypdf import PdfReader

    from uppfoljning import pdf
    from vardcentraler.models import Omgang, Sjalvskattning

    omgang = (
        Omgang.objects.get(pk=int(sys.argv[1]))
        if len(sys.argv) > 1
        else Omgang.objects.order_by("-period_start", "-pk").first()
    )
    sjalvskattningar = list(
        Sjalvskattning.objects.filter(omgang=omgang)
        .select_related("vardcentral__kommun", "omgang__region", "omgang__malbild_version")
        .order_by("vardcentral__namn")[:6]
    )
    pdf.fardplan_pdf(sjalvskattningar[0])  # warm-up: fonts and stylesheet, once per process
    tider, sidor = [], []
    for sk in sjalvskattningar[1:]:
        t = time.perf_counter()
        data = pdf.fardplan_pdf(sk)
        tider.append(time.perf_counter() - t)
        sidor.append(len(PdfReader(io.BytesIO(data)).pages))
    print(
        f"färdplan: {len(tider)} renderingar, median {statistics.median(tider):.2f} s, "
        f"min {min(tider):.2f} s, max {max(tider):.2f} s, sidor {min(sidor)}–{max(sidor)}, "
        f"{len(data) // 1024} KiB"
    )
    enheter = omgang.sjalvskattningar.count()
    t = time.perf_counter()
    data = pdf.kravstallning_pdf(omgang)
    tid = time.perf_counter() - t
    print(
        f"kravställning ({omgang.region.namn} {omgang.namn}, {enheter} självskattningar): "
        f"{tid:.2f} s, {len(PdfReader(io.BytesIO(data)).pages)} sidor, {len(data) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
