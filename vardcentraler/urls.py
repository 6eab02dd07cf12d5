from django.urls import path

from lib import converters  # noqa: F401  (registers <hsa:…> and <regionkod:…>)

from .omgangar import (
    views_atgard,
    views_granskning,
    views_krav,
    views_omgang,
    views_sjalvskattning,
    views_steg,
)
from .organisation import views_vardcentral

app_name = "vardcentraler"

# One unit's self-assessment in one round; team.urls builds on it too.
S = "omgangar/<int:pk>/<hsa:hsa_id>/"

urlpatterns = [
    path("vardcentraler/", views_vardcentral.vardcentral_list, name="vardcentral_list"),
    path("vardcentraler/import/", views_vardcentral.vardcentral_import, name="vardcentral_import"),
    path(
        "vardcentraler/import/mall.csv",
        views_vardcentral.vardcentral_import_mall,
        name="vardcentral_import_mall",
    ),
    path(
        "vardcentraler/import/bekrafta/",
        views_vardcentral.vardcentral_import_confirm,
        name="vardcentral_import_confirm",
    ),
    path(
        "vardcentraler/<hsa:hsa_id>/",
        views_vardcentral.vardcentral_detail,
        name="vardcentral_detail",
    ),
    # Rounds, targets, self-assessments, actions, review and history.
    path("omgangar/", views_omgang.omgang_list, name="omgang_list"),
    path("omgangar/ny/", views_omgang.omgang_create, name="omgang_create"),
    path("omgangar/<int:pk>/", views_omgang.omgang_detail, name="omgang_detail"),
    path("omgangar/<int:pk>/malnivaer/", views_omgang.malniva_update, name="malniva_update"),
    path(
        "omgangar/<int:pk>/godkann-granskade/",
        views_granskning.omgang_approve_bulk,
        name="omgang_approve_bulk",
    ),
    path("omgangar/<int:pk>/stang/", views_granskning.omgang_close, name="omgang_close"),
    # The region's requirements per round (before S, whose <hsa_id> would take "krav").
    path("omgangar/<int:pk>/krav/", views_krav.krav_list, name="krav_list"),
    path("omgangar/<int:pk>/krav/andra/", views_krav.krav_update, name="krav_update"),
    path(S, views_sjalvskattning.sjalvskattning_detail, name="sjalvskattning_detail"),
    path(
        S + "tema/<int:tema_pk>/",
        views_sjalvskattning.sjalvskattning_tema_save,
        name="sjalvskattning_tema_save",
    ),
    path(S + "svar/<int:kriterium_pk>/", views_sjalvskattning.svar_detail, name="svar_detail"),
    path(S + "svar/<int:kriterium_pk>/spara/", views_sjalvskattning.svar_save, name="svar_save"),
    # The self-assessment in steps (the verksamhetschef's way through it).
    path(
        S + "steg/<int:nummer>/",
        views_steg.sjalvskattning_tema_edit,
        name="sjalvskattning_tema_edit",
    ),
    path(S + "forra-omgangen/", views_steg.sjalvskattning_copy, name="sjalvskattning_copy"),
    path(S + "kontrollera/", views_steg.sjalvskattning_check, name="sjalvskattning_check"),
    path(S + "skicka-in/", views_steg.sjalvskattning_submit, name="sjalvskattning_submit"),
    path(S + "kvitto/", views_steg.sjalvskattning_receipt, name="sjalvskattning_receipt"),
    path(S + "utskrift/", views_steg.sjalvskattning_print, name="sjalvskattning_print"),
    path(S + "granska/", views_granskning.sjalvskattning_review, name="sjalvskattning_review"),
    path(
        S + "godkann/bekrafta/",
        views_granskning.sjalvskattning_approve_confirm,
        name="sjalvskattning_approve_confirm",
    ),
    path(
        S + "godkann/", views_sjalvskattning.sjalvskattning_approve, name="sjalvskattning_approve"
    ),
    path(S + "atersand/", views_sjalvskattning.sjalvskattning_return, name="sjalvskattning_return"),
    path(
        S + "oppna-igen/", views_sjalvskattning.sjalvskattning_reopen, name="sjalvskattning_reopen"
    ),
    path(
        S + "historik/", views_sjalvskattning.sjalvskattning_history, name="sjalvskattning_history"
    ),
    path(S + "atgarder/ny/", views_atgard.atgard_create, name="atgard_create"),
    path(S + "atgarder/<int:atgard_pk>/", views_atgard.atgard_update, name="atgard_update"),
]
