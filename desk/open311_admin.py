"""Open311 api_keys in the admin (Settings → کلیدهای Open311): create (the key is
shown once), rename, revoke (the row stays for the record). Superusers, or whoever
is given the desk.*_open311key permissions."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Open311Key


class IndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        delete_url = self.get_delete_url(instance)
        for button in buttons:
            if delete_url and button.url == delete_url:
                button.label = "باطل کردن"
        return buttons


class CreateView(generic.CreateView):
    def form_valid(self, form):
        self.object, plaintext = Open311Key.create_key(form.cleaned_data["name"])
        context = self.get_context_data(form=form)
        context.update({"key": plaintext, "object": self.object, "page_title": "کلید Open311 ساخته شد"})
        return TemplateResponse(self.request, "desk/open311/key_created.html", context)


class RevokeView(generic.DeleteView):
    page_title = "باطل کردن کلید"

    @property
    def confirmation_message(self):
        return "این کلید Open311 باطل شود؟ سامانه‌ای که آن را به کار می‌برد دیگر نمی‌تواند درخواست ثبت کند."

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.object.revoke()
        messages.success(request, f"کلید «{self.object.name}» باطل شد.")
        return redirect(self.get_success_url())


class Open311KeyViewSet(ModelViewSet):
    model = Open311Key
    icon = "key"
    menu_label = "کلیدهای Open311"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["name"]
    index_view_class = IndexView
    add_view_class = CreateView
    delete_view_class = RevokeView
    list_display = [
        TitleColumn("name", label="نام سامانه", url_name="open311_keys:edit"),
        Column("prefix", label="ابتدای کلید"),
        DateColumn("created_at", label="ایجاد"),
        DateColumn("last_used_at", label="آخرین استفاده"),
        DateColumn("revoked_at", label="باطل شده در"),
    ]


open311_key_viewset = Open311KeyViewSet("open311_keys", url_prefix="open311-keys")
