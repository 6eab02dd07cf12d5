from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from lib import converters  # noqa: F401  (registers the path converters)

from . import views

app_name = "konton"

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
    path(
        "konto/losenord/",
        views.lokala_losenord(
            auth_views.PasswordChangeView.as_view(
                success_url=reverse_lazy("konton:password_change_done")
            )
        ),
        name="password_change",
    ),
    path(
        "konto/losenord/klart/",
        views.lokala_losenord(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "losenord/aterstall/",
        views.lokala_losenord(
            auth_views.PasswordResetView.as_view(
                success_url=reverse_lazy("konton:password_reset_done"),
                email_template_name="registration/password_reset_email.txt",
                html_email_template_name="registration/password_reset_email.html",
                subject_template_name="registration/password_reset_subject.txt",
            )
        ),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/",
        views.lokala_losenord(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        views.lokala_losenord(
            auth_views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("konton:password_reset_complete")
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        views.lokala_losenord(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
