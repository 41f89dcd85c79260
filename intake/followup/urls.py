"""The follow-up's addresses under /track/ (included from portal.urls before
Wagtail's pages). The tracking code never appears in them."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.lookup, name="track"),
    path("workflow/", views.workflow_lookup, name="track-workflow"),
    path("status/", views.status, name="track-status"),
    path("identity/", views.identity, name="track-identity"),
    path("answer/", views.answer, name="track-answer"),
    path("response/", views.response_page, name="track-response"),
    path("response/pdf/", views.response_pdf, name="track-response-pdf"),
    path("objection/", views.objection, name="track-objection"),
    path("receipt/", views.receipt_page, name="track-receipt"),
    path("survey/", views.survey_page, name="track-survey"),
    path("history/", views.history, name="track-history"),
    path("history/<int:pk>/", views.history_open, name="track-history-open"),
]
