"""Certificates in the staff workspace: the list with check counts, and bulk ZIPs."""

from django.urls import include, path, reverse
from wagtail import hooks

from people.policies import WorkspaceMenuItem

from . import views

admin_urls = [
    path("", views.CertificateListView.as_view(), name="index"),
    path("bundles/", views.bundle_start, name="bundle_start"),
    path("bundles/<int:pk>/", views.BundleView.as_view(), name="bundle"),
    path("bundles/<int:pk>/download/", views.bundle_download, name="bundle_download"),
]


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [path("certificates/", include((admin_urls, "certificates_admin")))]


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return WorkspaceMenuItem(
        "Certificates",
        reverse("certificates_admin:index"),
        action="read_certificates",
        icon_name="doc-full",
        order=260,
    )
