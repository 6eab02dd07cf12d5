from django.urls import path

from lib import converters  # noqa: F401  (registers <hsa:…> and <regionkod:…>)

from . import views, views_pdf

app_name = "uppfoljning"

urlpatterns = [
    path("", views.uppfoljning_start, name="uppfoljning_start"),
    path("nationellt/", views.nationell_oversikt, name="nationell_oversikt"),
    path("region/<regionkod:kod>/", views.region_oversikt, name="region_oversikt"),
    path(
        "region/<regionkod:kod>/export.csv",
        views.region_export,
        {"format": "csv"},
        name="region_export_csv",
    ),
    path(
        "region/<regionkod:kod>/export.xlsx",
        views.region_export,
        {"format": "xlsx"},
        name="region_export_xlsx",
    ),
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
