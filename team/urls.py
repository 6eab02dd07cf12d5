from django.urls import path

from lib import converters  # noqa: F401  (registers <hsa:…>)
from vardcentraler.urls import S  # one unit's self-assessment in one round

from . import views, views_medlem, views_underlag

app_name = "team"

# A member's personal link. The token is signed (``team.lankar``: base64 and a ":"), a shape
# wider than the invitation tokens' <token:…>, so it stays <str:…>.
L = "teambedomning/<int:pk>/<hsa:hsa_id>/<str:token>/"

urlpatterns = [
    path(
        "omgangar/<int:pk>/teambedomning/",
        views.omgang_teambedomning_update,
        name="omgang_teambedomning_update",
    ),
    path(S + "team/", views.team_list, name="team_list"),
    path(S + "team/bjud-in/", views.teammedlem_create, name="teammedlem_create"),
    path(S + "team/<int:medlem_pk>/ny-lank/", views.teamlank_create, name="teamlank_create"),
    path(S + "team/<int:medlem_pk>/ta-bort/", views.teammedlem_delete, name="teammedlem_delete"),
    path(S + "konsensus/", views.konsensus_list, name="konsensus_list"),
    path(S + "konsensus/<int:tema_pk>/", views.konsensus_update, name="konsensus_update"),
    path(S + "underlag/", views_underlag.underlag_list, name="underlag_list"),
    path(
        S + "underlag/hamta-forra/",
        views_underlag.underlag_carry_forward,
        name="underlag_carry_forward",
    ),
    path(
        S + "underlag/kriterium/<int:kriterium_pk>/",
        views_underlag.underlag_detail,
        name="underlag_detail",
    ),
    path(
        S + "underlag/<int:underlag_pk>/ladda-ned/",
        views_underlag.underlag_download,
        name="underlag_download",
    ),
    path(
        S + "underlag/<int:underlag_pk>/ta-bort/",
        views_underlag.underlag_delete,
        name="underlag_delete",
    ),
    path(L, views_medlem.teambedomning_detail, name="teambedomning_detail"),
    path(L + "tema/<int:ordning>/", views_medlem.teambedomning_tema, name="teambedomning_tema"),
    path(L + "skicka-in/", views_medlem.teambedomning_submit, name="teambedomning_submit"),
]
