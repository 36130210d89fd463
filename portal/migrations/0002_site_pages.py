"""The site's pages: a home page in place of Wagtail's welcome page, and the training
catalogue at /training/, private to signed-in users. Managers may edit the modules and
the images and documents they use."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_pages(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("portal", "HomePage")
    TrainingIndexPage = apps.get_model("training", "TrainingIndexPage")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    locale = Locale.objects.first()
    Page.objects.filter(depth=2, slug="home", title__startswith="Welcome").delete()
    home_type, _ = ContentType.objects.get_or_create(app_label="portal", model="homepage")
    index_type, _ = ContentType.objects.get_or_create(
        app_label="training", model="trainingindexpage"
    )
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Training and supervision for peer support workers",
        draft_title="Training and supervision for peer support workers",
        slug="home",
        content_type=home_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        intro="<p>Alongside keeps the training and supervision records of our peer support "
        "workers: what you have completed, when it is due again, and your supervision "
        "with the NHS and with us.</p>",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    index = TrainingIndexPage.objects.create(
        title="Training modules",
        draft_title="Training modules",
        slug="training",
        content_type=index_type,
        path=f"{home.path}0001",
        depth=3,
        numchild=0,
        url_path="/home/training/",
        locale=locale,
        intro="The training you do with the NHS and with us. Open a module to read it "
        "and record that you have completed it.",
    )
    PageViewRestriction.objects.create(page=index, restriction_type="login")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home,
                  "site_name": "Alongside"},
    )

    manager = Group.objects.get(name="Manager")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=manager,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    collection = Collection.objects.get(depth=1)
    for app_label, codenames in {
        "wagtailimages": ("add_image", "change_image", "choose_image"),
        "wagtaildocs": ("add_document", "change_document", "choose_document"),
    }.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=manager,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("people", "0002_roles"),
        ("training", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
