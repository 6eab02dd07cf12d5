from django.urls import path

from lib import converters  # noqa: F401  (registers <hsa:…> and <regionkod:…>)

from . import views, views_omgang

app_name = "vardcentraler"

S = "omgangar/<int:pk>/<hsa:hsa_id>/"  # one unit's self-assessment in one round

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
    path("vardcentraler/<hsa:hsa_id>/", views.vardcentral_detail, name="vardcentral_detail"),
    # Rounds, targets, self-assessments, actions, review and history.
    path("omgangar/", views_omgang.omgang_list, name="omgang_list"),
    path("omgangar/ny/", views_omgang.omgang_create, name="omgang_create"),
    path("omgangar/<int:pk>/", views_omgang.omgang_detail, name="omgang_detail"),
    path("omgangar/<int:pk>/malnivaer/", views_omgang.malniva_update, name="malniva_update"),
    path(S, views_omgang.sjalvskattning_detail, name="sjalvskattning_detail"),
    path(
        S + "tema/<int:tema_pk>/",
        views_omgang.sjalvskattning_tema_save,
        name="sjalvskattning_tema_save",
    ),
    path(S + "svar/<int:kriterium_pk>/", views_omgang.svar_detail, name="svar_detail"),
    path(S + "svar/<int:kriterium_pk>/spara/", views_omgang.svar_save, name="svar_save"),
    path(S + "skicka-in/", views_omgang.sjalvskattning_submit, name="sjalvskattning_submit"),
    path(S + "godkann/", views_omgang.sjalvskattning_approve, name="sjalvskattning_approve"),
    path(S + "atersand/", views_omgang.sjalvskattning_return, name="sjalvskattning_return"),
    path(S + "oppna-igen/", views_omgang.sjalvskattning_reopen, name="sjalvskattning_reopen"),
    path(S + "historik/", views_omgang.sjalvskattning_history, name="sjalvskattning_history"),
    path(S + "atgarder/ny/", views_omgang.atgard_create, name="atgard_create"),
    path(S + "atgarder/<int:atgard_pk>/", views_omgang.atgard_update, name="atgard_update"),
]
