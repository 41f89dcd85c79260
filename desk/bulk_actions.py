"""Bulk actions on the request list (Wagtail's bulk-action framework): the clerk ticks
rows and «واگذاری به من» or «انتقال به در حال بررسی» (with one note for the citizens).

Each request goes through `intake.services` on its own (its row locked, its event
written, its citizen told), only when the clerk may act on it (desk.scoping) and the
move is allowed from its status; the rest are listed on the confirmation page and
left untouched. Registered in desk/wagtail_hooks.py."""

from django import forms
from django.utils.functional import classproperty
from wagtail.admin.views.bulk_action import BulkAction

from intake import services
from intake.models import ServiceRequest
from portal.persian import to_persian_digits

from . import scoping
from .forms import StaffTextField

Status = ServiceRequest.Status


class RequestBulkAction(BulkAction):
    template_name = "desk/bulk_actions/confirm.html"

    @classproperty
    def models(cls):
        return [ServiceRequest]

    def get_all_objects_in_listing_query(self, parent_id):
        return scoping.visible_requests(self.request.user).values_list("pk", flat=True)

    def check_perm(self, obj):
        return scoping.can_act(self.request.user, obj) and self.can_apply(obj)

    def can_apply(self, obj):
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_title": self.display_name,
                "action_help": self.action_help,
                "header_icon": "clipboard-list",
            }
        )
        return context

    def get_execution_context(self):
        return {"user": self.request.user, "form": self.cleaned_form}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{self.display_name}: {to_persian_digits(num_parent_objects)} درخواست."


class AssignToMeBulkAction(RequestBulkAction):
    display_name = "واگذاری به من"
    aria_label = "واگذاری درخواست‌های انتخاب‌شده به من"
    action_type = "assign_to_me"
    action_priority = 10
    action_help = "درخواست‌های زیر به شما واگذار می‌شوند (به شهروند پیامی نمی‌رود)."

    def can_apply(self, obj):
        return obj.status != Status.CLOSED and obj.assignee_id != self.request.user.pk

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        for req in objects:
            services.assign(req, user, user)
        return len(objects), 0


class ReviewForm(forms.Form):
    public_note = StaffTextField(
        label="توضیح برای شهروندان",
        required=False,
        help_text="در صفحه پیگیری هر یک از این درخواست‌ها نشان داده می‌شود.",
    )


class MoveToReviewBulkAction(RequestBulkAction):
    display_name = "انتقال به «در حال بررسی»"
    aria_label = "انتقال درخواست‌های انتخاب‌شده به وضعیت «در حال بررسی»"
    action_type = "move_to_review"
    action_priority = 20
    action_help = "وضعیت درخواست‌های زیر «در حال بررسی» می‌شود و به هر شهروند پیامک می‌رود."
    form_class = ReviewForm

    def can_apply(self, obj):
        return Status.IN_REVIEW in services.allowed_transitions(obj.status)

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        note = form.cleaned_data["public_note"] if form else ""
        moved = 0
        for req in objects:
            try:
                services.transition(req, Status.IN_REVIEW, user, public_note=note, expected_status=req.status)
            except services.TransitionError:
                continue  # another clerk moved it meanwhile: left as it is
            moved += 1
        return moved, 0
