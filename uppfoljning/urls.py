from django.urls import path

from . import views

app_name = "uppfoljning"

urlpatterns = [
    path("", views.uppfoljning_start, name="uppfoljning_start"),
    path("nationellt/", views.nationell_oversikt, name="nationell_oversikt"),
    path("region/<str:kod>/", views.region_oversikt, name="region_oversikt"),
    path(
        "region/<str:kod>/export.csv",
        views.region_export,
        {"format": "csv"},
        name="region_export_csv",
    ),
    path(
        "region/<str:kod>/export.xlsx",
        views.region_export,
        {"format": "xlsx"},
        name="region_export_xlsx",
    ),
    path("vardcentral/<str:hsa_id>/gap/", views.gaprapport_detail, name="gaprapport_detail"),
]
