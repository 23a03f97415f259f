from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="catalog_public"),
    path("<slug:slug>/", views.organ, name="catalog_public_organ"),
]
