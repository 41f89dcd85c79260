from django.urls import path

from . import views

app_name = "staffauth"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("setup/qr.svg", views.qr_code, name="qr"),
    path("verify/", views.verify, name="verify"),
]
