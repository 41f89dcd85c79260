"""The three staff roles as Wagtail groups, kept in step after every migrate.

- «ویرایشگران» (editors): the content — pages, images, documents, the catalog
  snippets, holidays, survey questions, form submissions. No requests.
- «کارشناسان میز خدمت» (desk staff): the requests of their units (desk.scoping).
- «مدیران» (managers): every request read-only, and the reports.

Permissions are added, never removed, so what an administrator grants on top
in the admin stays.
"""

from . import scoping

CONTENT_MODELS = [
    ("services", ["orgunit", "officer"]),
    ("intake", ["holiday", "surveyaxis", "surveyquestion"]),
    ("wagtailimages", ["image"]),
    ("wagtaildocs", ["document"]),
    ("wagtailredirects", ["redirect"]),
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def ensure_roles(using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    # desk migrates early in INSTALLED_APPS: make sure every app's permissions exist.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    def perms(app_label, codenames):
        return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))

    access_admin = perms("wagtailadmin", ["access_admin"])
    editors, _ = Group.objects.get_or_create(name=scoping.EDITORS)
    desk, _ = Group.objects.get_or_create(name=scoping.DESK_STAFF)
    managers, _ = Group.objects.get_or_create(name=scoping.MANAGERS)

    content = list(access_admin)
    for app_label, models in CONTENT_MODELS:
        content += perms(
            app_label,
            [f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")],
        )
    editors.permissions.add(*content)
    # Their own desk API tokens (admin → Settings → API tokens; Wagtail limits each
    # user to their own tokens unless they may change users).
    own_tokens = perms("wagtailcore", [f"{a}_apitoken" for a in ("add", "change", "delete", "view")])
    desk.permissions.add(
        *access_admin, *own_tokens, *perms("intake", ["view_servicerequest", "change_servicerequest"])
    )
    managers.permissions.add(
        *access_admin, *own_tokens, *perms("intake", ["view_servicerequest", "view_reports"])
    )

    root = Page.get_first_root_node()
    if root is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=permission)
    collection = Collection.get_first_root_node()
    if collection is not None:
        query = Q()
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            query |= Q(content_type__app_label=app_label, codename__in=codenames)
        for permission in Permission.objects.filter(query):
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=collection, permission=permission
            )
