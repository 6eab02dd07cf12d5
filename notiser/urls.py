from django.urls import path

from . import views

app_name = "notiser"

urlpatterns = [
    path("", views.notis_list, name="notis_list"),
    path("lasta/", views.notis_mark_read, name="notis_mark_read"),
    path("installningar/", views.installning_update, name="installning_update"),
]
