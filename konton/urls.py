from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from lib import converters  # noqa: F401  (registers the path converters)

from . import views

app_name = "konton"


def _losenord(route: str, view_class, name: str, **initkwargs):
    """One of Django's password views, there only while local passwords are on."""
    return path(route, views.lokala_losenord(view_class.as_view(**initkwargs)), name=name)


urlpatterns = [
    path("anvandare/", views.anvandare_list, name="anvandare_list"),
    path("anvandare/bjud-in/", views.inbjudan_create, name="inbjudan_create"),
    path("anvandare/<anvandarnamn:username>/", views.anvandare_detail, name="anvandare_detail"),
    path(
        "anvandare/<anvandarnamn:username>/andra/", views.anvandare_update, name="anvandare_update"
    ),
    path(
        "anvandare/<anvandarnamn:username>/inaktivera/",
        views.anvandare_deactivate,
        name="anvandare_deactivate",
    ),
    path(
        "anvandare/<anvandarnamn:username>/aktivera/",
        views.anvandare_reactivate,
        name="anvandare_reactivate",
    ),
    path(
        "anvandare/<anvandarnamn:username>/ny-inbjudan/",
        views.inbjudan_resend,
        name="inbjudan_resend",
    ),
    path("inbjudan/<token:token>/", views.inbjudan_accept, name="inbjudan_accept"),
    # Single sign-on (OpenID Connect).
    path("sso/logga-in/", views.sso_start, name="sso_start"),
    path("sso/callback/", views.sso_callback, name="sso_callback"),
    path("sso/nekad/", views.sso_nekad, name="sso_nekad"),
    # Password change and reset: Django's views, Swedish templates in templates/registration/.
    _losenord(
        "konto/losenord/",
        auth_views.PasswordChangeView,
        "password_change",
        success_url=reverse_lazy("konton:password_change_done"),
    ),
    _losenord("konto/losenord/klart/", auth_views.PasswordChangeDoneView, "password_change_done"),
    _losenord(
        "losenord/aterstall/",
        auth_views.PasswordResetView,
        "password_reset",
        success_url=reverse_lazy("konton:password_reset_done"),
        email_template_name="registration/password_reset_email.txt",
        html_email_template_name="registration/password_reset_email.html",
        subject_template_name="registration/password_reset_subject.txt",
    ),
    _losenord(
        "losenord/aterstall/skickat/", auth_views.PasswordResetDoneView, "password_reset_done"
    ),
    _losenord(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView,
        "password_reset_confirm",
        success_url=reverse_lazy("konton:password_reset_complete"),
    ),
    _losenord(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView,
        "password_reset_complete",
    ),
]
