"""Create the three role groups and give union staff what they need in the Wagtail admin.

Later issues add permissions for their own models in their own migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WORKERS = "职工 Workers"
ENTERPRISE_MEMBERS = "企业会员 Enterprise members"
UNION_STAFF = "工会工作人员 Union staff"

STAFF_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "delete_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "delete_document"),
    ("wagtaildocs", "document", "choose_document"),
]
STAFF_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
STAFF_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", codename)
    for codename in ("add_image", "change_image", "delete_image", "choose_image")
] + [
    ("wagtaildocs", "document", codename)
    for codename in ("add_document", "change_document", "delete_document", "choose_document")
]


def ensure_permissions_exist(apps):
    # Permissions are normally created after all migrations ran (post_migrate); on a fresh
    # database they do not exist yet at this point.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permission(apps, app_label, model, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(
        content_type__app_label=app_label, content_type__model=model, codename=codename
    )


def create_role_groups(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    Group.objects.get_or_create(name=WORKERS)
    Group.objects.get_or_create(name=ENTERPRISE_MEMBERS)
    staff, _ = Group.objects.get_or_create(name=UNION_STAFF)

    for spec in STAFF_MODEL_PERMISSIONS:
        staff.permissions.add(permission(apps, *spec))

    root_page = Page.objects.get(depth=1)
    for codename in STAFF_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=staff,
            page=root_page,
            permission=permission(apps, "wagtailcore", "page", codename),
        )

    root_collection = Collection.objects.get(depth=1)
    for spec in STAFF_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=staff, collection=root_collection, permission=permission(apps, *spec)
        )


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[WORKERS, ENTERPRISE_MEMBERS, UNION_STAFF]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
