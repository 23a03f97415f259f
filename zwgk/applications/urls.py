from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/letter/<int:event_id>/", views.letter, name="letter"),
]
