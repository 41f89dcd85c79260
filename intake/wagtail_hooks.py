"""The survey's axes and questions are edited in the admin (Snippets)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SurveyAxis, SurveyQuestion


class SurveyAxisViewSet(SnippetViewSet):
    model = SurveyAxis
    icon = "list-ol"
    menu_label = "محورهای نظرسنجی"
    list_display = ["title", "sort_order"]


class SurveyQuestionViewSet(SnippetViewSet):
    model = SurveyQuestion
    icon = "help"
    menu_label = "پرسش‌های نظرسنجی"
    list_display = ["number", "text", "axis", "reversed", "active"]
    list_filter = ["axis", "reversed"]


register_snippet(SurveyAxisViewSet)
register_snippet(SurveyQuestionViewSet)
