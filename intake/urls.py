"""The wizard's addresses under /request/ (included from portal.urls before
Wagtail's pages). The tracking code never appears in them."""

from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.choose_service, name="choose"),
    path("facets/<str:service_id>/", views.facets_fragment, name="facets"),
    path("step/<int:step>/", views.wizard_step, name="step"),
    path("save/", views.save_for_later, name="save"),
    path("resume/<str:token>/", views.resume_draft, name="resume"),
    path("receipt/", views.receipt, name="receipt"),
    path("receipt/pdf/", views.receipt_pdf, name="receipt-pdf"),
]
