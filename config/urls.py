from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from mozilla_django_oidc.views import OIDCLogoutView

from . import views

urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
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
    path("notiser/", include("notiser.urls")),
    path("admin/", admin.site.urls),
    # --- issue 18a: users, invitations, password change/reset, single sign-on ---
    path("", include("konton.urls")),
]

admin.site.site_header = "Målbild psykisk ohälsa – administration"
admin.site.site_title = "Administration"
