from django.urls import path

from lib import converters  # noqa: F401  (registers <hsa:…> and <regionkod:…>)

from . import exports, views, views_atgard, views_pdf

app_name = "uppfoljning"


def _export(route: str, view, name: str) -> list:
    """An export in both its formats: ``<route>.csv`` and ``<route>.xlsx``, one view that is
    given ``format``, named ``<name>_csv`` and ``<name>_xlsx``."""
    return [
        path(f"{route}.{format}", view, {"format": format}, name=f"{name}_{format}")
        for format in exports.FORMAT
    ]


urlpatterns = [
    path("", views.uppfoljning_start, name="uppfoljning_start"),
    path("nationellt/", views.nationell_oversikt, name="nationell_oversikt"),
    *_export("nationellt/export", views.nationell_export, "nationell_export"),
    path("region/<regionkod:kod>/", views.region_oversikt, name="region_oversikt"),
    *_export("region/<regionkod:kod>/export", views.region_export, "region_export"),
    path("region/<regionkod:kod>/atgarder/", views_atgard.atgard_list, name="atgard_list"),
    *_export("region/<regionkod:kod>/atgarder", views_atgard.atgard_export, "atgard_export"),
    path("vardcentral/<hsa:hsa_id>/gap/", views.gaprapport_detail, name="gaprapport_detail"),
    # PDF reports and the region's ZIP of färdplaner.
    path("rapporter/", views_pdf.rapport_index, name="rapport_index"),
    path("rapporter/<regionkod:kod>/", views_pdf.rapport_region, name="rapport_region"),
    path(
        "rapporter/<regionkod:kod>/omgangar/<int:pk>/kravstallning.pdf",
        views_pdf.kravstallning_pdf,
        name="kravstallning_pdf",
    ),
    path(
        "rapporter/<regionkod:kod>/omgangar/<int:pk>/fardplaner/",
        views_pdf.fardplan_arkiv_create,
        name="fardplan_arkiv_create",
    ),
    path("arkiv/<uuid:pk>/", views_pdf.fardplan_arkiv_detail, name="fardplan_arkiv_detail"),
    path(
        "arkiv/<uuid:pk>/ladda-ner/",
        views_pdf.fardplan_arkiv_download,
        name="fardplan_arkiv_download",
    ),
    path(
        "omgangar/<int:pk>/<hsa:hsa_id>/fardplan.pdf",
        views_pdf.fardplan_pdf,
        name="fardplan_pdf",
    ),
]
