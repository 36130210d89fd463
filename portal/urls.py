from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from certificates import passport
from people.views import AccountView

from . import sign_in, two_factor, views

handler403 = "portal.views.permission_denied"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("login/", sign_in.SignInView.as_view(), name="login"),
    path("login/reset/", sign_in.PasswordResetView.as_view(), name="password_reset"),
    path(
        "login/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "login/reset/<uidb64>/<token>/",
        sign_in.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "login/welcome/<uidb64>/<token>/",
        sign_in.InvitationView.as_view(),
        name="invitation",
    ),
    path(
        "login/password-set/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_set.html"
        ),
        name="password_reset_complete",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", include("portal.me.urls")),
    path("account/two-factor/", two_factor.overview, name="two_factor"),
    path("account/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("account/two-factor/enrol/<str:token>/", two_factor.enrol, name="two_factor_enrol"),
    path(
        "account/two-factor/send-link/",
        two_factor.send_enrolment_link,
        name="two_factor_send_link",
    ),
    path(
        "account/two-factor/devices/<int:device_id>/remove/",
        two_factor.remove_device,
        name="two_factor_remove_device",
    ),
    path(
        "account/two-factor/recovery-codes/",
        two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    # Wagtail's account page, with the legal name kept out of a person's own hands.
    path(
        "admin/account/",
        require_admin_access(AccountView.as_view()),
        name="wagtailadmin_account",
    ),
    # Wagtail's own reports whose CSV carries names and messages people typed: the
    # same views, with the project's spreadsheet-safe cells.
    path(
        "admin/reports/site-history/",
        require_admin_access(views.SiteHistoryReportView.as_view()),
    ),
    path("admin/reports/aging-pages/", require_admin_access(views.AgingPagesReportView.as_view())),
    # The workspace's own sign-in and password-reset pages: everyone uses the site's.
    path(
        "admin/login/",
        sign_in.MovedToSignIn.as_view(url=reverse_lazy("login")),
        name="old_login",
    ),
    path(
        "admin/password_reset/",
        sign_in.MovedToSignIn.as_view(url=reverse_lazy("password_reset")),
        name="old_password_reset",
    ),
    path(
        "admin/password_reset/confirm/<uidb64>/<token>/",
        sign_in.MovedToSignIn.as_view(pattern_name="password_reset_confirm"),
        name="old_password_reset_confirm",
    ),
    path("admin/failwhale/", views.not_here),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("training.urls")),
    path("", include("certificates.urls")),
    path("passport/<str:username>.pdf", passport.passport_pdf, name="passport"),
    path("", include("supervision.urls")),
    path("", include("compliance.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
