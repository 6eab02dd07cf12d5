from django.urls import path

from . import views

app_name = "malbild"

urlpatterns = [
    path("", views.malbild_overview, name="malbild_overview"),
    path("exempel/", views.exempel_list, name="exempel_list"),
    path("exempel/nytt/", views.exempel_create, name="exempel_create"),
    path("exempel/<slug:slug>/", views.exempel_detail, name="exempel_detail"),
    path("<slug:slug>/", views.malbild_detail, name="malbild_detail"),
    path("<slug:slug>/andringar/", views.malbild_andringar, name="malbild_andringar"),
    path("<slug:slug>/<slug:kod>/", views.tema_detail, name="tema_detail"),
]
