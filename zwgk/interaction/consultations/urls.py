from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/fujian/<int:attachment>/", views.attachment, name="attachment"),
]
