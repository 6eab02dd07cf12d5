app_name = "uppfoljning"

urlpatterns: list = []

# PDF reports, the region's ZIP of färdplaner and the requirements (views_pdf, views_krav).
from django.urls import path  # noqa: E402

from . import views_krav, views_pdf  # noqa: E402

urlpatterns += [
    path("rapporter/", views_pdf.rapport_index, name="rapport_index"),
    path("rapporter/<str:kod>/", views_pdf.rapport_region, name="rapport_region"),
    path(
        "rapporter/<str:kod>/omgangar/<int:pk>/kravstallning.pdf",
        views_pdf.kravstallning_pdf,
        name="kravstallning_pdf",
    ),
    path(
        "rapporter/<str:kod>/omgangar/<int:pk>/fardplaner/",
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
        "omgangar/<int:pk>/<str:hsa_id>/fardplan.pdf",
        views_pdf.fardplan_pdf,
        name="fardplan_pdf",
    ),
    path("omgangar/<int:pk>/krav/", views_krav.krav_list, name="krav_list"),
    path("omgangar/<int:pk>/krav/andra/", views_krav.krav_update, name="krav_update"),
]
