from django.urls import path

from . import views

app_name = "inloggning"

urlpatterns = [
    path("", views.tvasteg_setup, name="tvasteg_setup"),
    path("kod/", views.tvasteg_verify, name="tvasteg_verify"),
    path("stang-av/", views.tvasteg_disable, name="tvasteg_disable"),
]
