from django.urls import path

from . import views

urlpatterns = [
    path("", views.results, name="search"),
    path("suggest/", views.suggestions, name="search_suggest"),
]
