from django.urls import path
from wagtail import hooks

from . import two_factor
from .panels import WelcomePanel


@hooks.register("register_admin_urls")
def register_enrolment_link_url():
    return [
        path(
            "people/<int:pk>/two-factor-link/",
            two_factor.admin_enrolment_link,
            name="two_factor_admin_link",
        )
    ]


@hooks.register("construct_homepage_panels")
def add_welcome_panel(request, panels):
    panels.insert(0, WelcomePanel(request.user))
