from django.urls import path

from . import views

app_name = "vardcentraler"

urlpatterns = [
    path("vardcentraler/", views.vardcentral_list, name="vardcentral_list"),
    path("vardcentraler/import/", views.vardcentral_import, name="vardcentral_import"),
    path(
        "vardcentraler/import/mall.csv",
        views.vardcentral_import_mall,
        name="vardcentral_import_mall",
    ),
    path(
        "vardcentraler/import/bekrafta/",
        views.vardcentral_import_confirm,
        name="vardcentral_import_confirm",
    ),
    path("vardcentraler/<str:hsa_id>/", views.vardcentral_detail, name="vardcentral_detail"),
]
