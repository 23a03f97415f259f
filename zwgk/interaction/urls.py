from django.urls import path

from . import views

app_name = "interaction"
urlpatterns = [
    path("", views.index, name="index"),
    path("liuyan/", views.leave_message, name="leave"),
    path("liuyan/huizhi/", views.receipt, name="receipt"),
    path("liuyan/gongkai/", views.public_list, name="public_list"),
    path("liuyan/gongkai/<str:number>/", views.public_message, name="public_message"),
    path("chaxun/", views.track, name="track"),
    path("jiucuo/", views.report_error, name="report_error"),
]
