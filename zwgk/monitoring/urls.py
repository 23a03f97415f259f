from django.urls import path

from . import views

urlpatterns = [
    path("", views.annual_index, name="website_annual_public"),
    path("<int:year>/", views.annual_detail, name="website_annual_public_detail"),
]
