from django.urls import path

from . import views

app_name = "malbild"

urlpatterns = [
    path("", views.malbild_overview, name="malbild_overview"),
    path("<slug:slug>/", views.malbild_detail, name="malbild_detail"),
    path("<slug:slug>/<slug:kod>/", views.tema_detail, name="tema_detail"),
]
