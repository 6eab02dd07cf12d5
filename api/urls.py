from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.apitoken_list, name="apitoken_list"),
    path("<uuid:token_id>/aterkalla/", views.apitoken_revoke, name="apitoken_revoke"),
]
