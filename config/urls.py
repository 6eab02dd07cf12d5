from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from mozilla_django_oidc.views import OIDCLogoutView

from api.api import api

from . import views

urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),  # issue 18b: operations
    path("tillganglighet/", views.tillganglighet, name="tillganglighet"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, extra_context={"visa_demoinloggning": settings.DEBUG}
        ),
        name="login",
    ),
    # issue 18a: logout also ends an SSO session at the provider (konton.sso.op_logout_url).
    path("logga-ut/", OIDCLogoutView.as_view(), name="logout"),
    path("malbild/", include("malbild.urls")),
    # issue 15 (before vardcentraler: its "omgangar/<pk>/<hsa_id>/" would take "teambedomning")
    path("", include("team.urls")),
    path("", include("vardcentraler.urls")),
    path("uppfoljning/", include("uppfoljning.urls")),
    path("api-token/", include("api.urls")),
    path("api/v1/", api.urls),
    path("notiser/", include("notiser.urls")),
    path("admin/", admin.site.urls),
    # issue 18b: the second factor (TOTP)
    path("tvastegsverifiering/", include("inloggning.urls")),
    # --- issue 18a: users, invitations, password change/reset, single sign-on ---
    path("", include("konton.urls")),
]

# Swedish error pages: 400/403/404 from the templates of those names; 500 is ours, to answer
# 503 with Retry-After when the database is away (lib/felsidor.py).
handler500 = "lib.felsidor.server_error"

admin.site.site_header = "Målbild psykisk ohälsa – administration"
admin.site.site_title = "Administration"
