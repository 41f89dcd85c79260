"""Bulk actions on the request list (Wagtail's bulk-action framework): the clerk ticks
rows and «واگذاری به من», «واگذاری به همکار», «انتقال به در حال بررسی» (with one note
for the citizens) or «خروجی انتخاب‌شده‌ها» (the list's own XLSX or CSV, those rows only).

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
from .exports import SelectedRequestsExport, user_label
from .forms import IdChoiceField, StaffTextField

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


class ColleagueForm(forms.Form):
    assignee = IdChoiceField(
        label="همکار",
        queryset=None,
        empty_label="— همکار را انتخاب کنید —",
        error_messages={
            "required": "همکاری را که درخواست‌ها به او واگذار می‌شوند انتخاب کنید.",
            "invalid_choice": "این همکار در فهرست همکاران شما نیست.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = scoping.colleagues(user)
        field.label_from_instance = user_label


class AssignToColleagueBulkAction(RequestBulkAction):
    """Every ticked request to one colleague, or none: a colleague who does not work in
    one request's unit is named with its code, and nothing is assigned."""

    display_name = "واگذاری به همکار"
    aria_label = "واگذاری درخواست‌های انتخاب‌شده به یک همکار"
    action_type = "assign_to_colleague"
    action_priority = 15
    action_help = "درخواست‌های زیر به همکاری که انتخاب می‌کنید واگذار می‌شوند (به شهروند پیامی نمی‌رود)."
    form_class = ColleagueForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def can_apply(self, obj):
        return obj.status != Status.CLOSED

    def prepare_action(self, objects, objects_without_access):
        form = self.cleaned_form
        colleague = form.cleaned_data["assignee"]
        units = scoping.unit_ids(colleague)
        outside = [req for req in objects if req.unit_id not in units]
        if outside:
            codes = "، ".join(to_persian_digits(req.tracking_code) for req in outside)
            form.add_error(
                "assignee",
                f"«{user_label(colleague)}» در واحد این درخواست‌ها کار نمی‌کند: {codes}. "
                "آن‌ها را از انتخاب بردارید یا همکار دیگری برگزینید.",
            )
            return self.form_invalid(form)
        return None

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        colleague = form.cleaned_data["assignee"]
        for req in objects:
            if req.assignee_id != colleague.pk:
                services.assign(req, colleague, user)
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


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label="قالب فایل",
        choices=[("xlsx", "اکسل (XLSX)"), ("csv", "CSV")],
        initial="xlsx",
        widget=forms.RadioSelect,
    )


class ExportSelectedBulkAction(RequestBulkAction):
    """The ticked rows in the list's own export (desk.exports): every request the user
    may see, managers included; nothing is written."""

    display_name = "خروجی انتخاب‌شده‌ها"
    aria_label = "دریافت فایل درخواست‌های انتخاب‌شده"
    action_type = "export_selected"
    action_priority = 30
    action_help = "فهرست درخواست‌های زیر با همان ستون‌های خروجی فهرست درخواست‌ها دریافت می‌شود."
    form_class = ExportForm

    def check_perm(self, obj):
        return scoping.can_view(self.request.user, obj)

    def prepare_action(self, objects, objects_without_access):
        queryset = (
            scoping.visible_requests(self.request.user)
            .filter(pk__in=[req.pk for req in objects])
            .select_related("assignee")
            .order_by("-submitted_at", "-pk")
        )
        export = SelectedRequestsExport(self.request)
        return export.as_spreadsheet(queryset, self.cleaned_form.cleaned_data["file_format"])
