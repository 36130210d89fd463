"""Who may open which URL: one table for the whole site and staff workspace.

Rows are URL names of the project (the site in `portal/urls.py` and every admin URL
registered by the project's apps), each with the object it is opened on; columns are
the viewers below. Objects belong to `psw1` of the demo organisation, so "own" and
"someone else's" are the same object seen by different people.

Answers:
  ok      200
  login   302 to the sign-in page
  no      403, or Wagtail's redirect to the admin home with "permission denied"
  404     not found: the object is outside what this viewer may see
  home    a peer support worker, supervisor or service lead opening a staff workspace
          page (its home, a page refused to them, or one it would show them) is sent
          to their own page instead (portal/middleware.py WorkspaceDoorMiddleware); a
          refusing view still refuses, and logs it
  405     the URL only takes POST
  site    a peer support worker, supervisor or service lead opening a staff workspace
          page that the site now has is sent to the site's page for them (which makes
          its own checks)
"""

VIEWERS = [
    "anonymous",
    "psw_own",
    "psw_other",
    "supervisor_of",
    "supervisor_not",
    "manager",
    "lead_own",
    "lead_other",
    "administrator",
]

# Wagtail's own admin (pages, images, documents, collections, sites, settings, reports,
# workflows, choosers, the admin API...): Wagtail checks its permissions itself, and
# no role of ours is given a permission there, so they are tested by Wagtail and not
# repeated here. Only URLs in these namespaces or with these names are left out.
WAGTAIL_CORE_NAMESPACES = (
    "wagtailadmin_api",
    "wagtailadmin_pages",
    "wagtailimages",
    "wagtailimages_chooser",
    "wagtaildocs",
    "wagtaildocs_chooser",
    "wagtailsites",
    "wagtailsettings",
    "wagtailcollections",
    "wagtailusers_groups",
    "wagtailredirects",
    "wagtaillocales",
)

# Row: url name -> (object key, answers in VIEWERS order). The object key names an
# object of psw1 prepared by the test (see `demo_objects` in the test module).
# Columns, in VIEWERS order: anonymous, psw (own), psw (someone else's), supervisor (of
# the person), supervisor (not), manager, service lead (own service), service lead
# (other service), administrator.
MATRIX = {
    # The site: sign-in, health, two-factor
    "healthz": (None, "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    "login": (None, "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    "logout": (None, "405   405   405   405   405   405   405   405   405"),
    # Forgotten password and invitations (links with a token: a spent or forged one
    # answers with a page saying so, to anyone)
    "password_reset": (None, "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    "password_reset_done": (None, "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    "password_reset_confirm": ("bad_token", "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    "invitation": ("bad_token", "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    "password_reset_complete": (None, "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    # The workspace's old sign-in and reset addresses send everyone to /login/…
    "old_login": (None, "login login login login login login login login login"),
    "old_password_reset": (None, "login login login login login login login login login"),
    "old_password_reset_confirm": (
        "bad_token",
        "login login login login login login login login login",
    ),
    "two_factor": (None, "login ok    ok    ok    ok    ok    ok    ok    ok"),
    "two_factor_setup": (None, "login ok    ok    ok    ok    ok    ok    ok    ok"),
    "two_factor_verify": (None, "login ok    ok    ok    ok    ok    ok    ok    ok"),
    "two_factor_recovery_codes": (None, "login 405   405   405   405   405   405   405   405"),
    "two_factor_send_link": (None, "login 405   405   405   405   405   405   405   405"),
    "two_factor_remove_device": ("device", "login 405   405   405   405   405   405   405   405"),
    # An enrolment link made for someone else answers 404 to everyone who opens it.
    "two_factor_enrol": ("enrol_token", "login 404   404   404   404   404   404   404   404"),
    "two_factor_admin_link": ("person", "login home  home  home  home  no    home  home  ok"),
    # The account page (Wagtail's, with the preferred name and guarded email panel)
    "wagtailadmin_account": (None, "login site  site  site  site  ok    site  site  ok"),
    "people_legal_name": ("person", "login home  home  home  home  ok    home  home  ok"),
    "people_add": (None, "login home  home  home  home  ok    home  home  ok"),
    # The staff workspace home and certificates
    "wagtailadmin_home": (None, "login home  home  home  home  ok    home  home  ok"),
    "certificates_admin:index": (None, "login site  site  site  site  ok    home  home  ok"),
    "certificates_admin:bundle_start": (
        None,
        "login 405   405   405   405   405   405   405   405",
    ),
    "certificates_admin:bundle": ("bundle", "login 404   404   404   404   ok    404   404   ok"),
    "certificates_admin:bundle_download": (
        "bundle",
        "login 404   404   404   404   404   404   404   404",
    ),
    # A peer support worker's own pages on the site (portal/me): anyone else is sent
    # to their own pages; another PSW's record or session is not found.
    "me:today": (None, "login ok    ok    home  home  no    home  home  no"),
    "me:training": (None, "login ok    ok    home  home  no    home  home  no"),
    "me:withdraw": ("record", "login ok    404   home  home  no    home  home  no"),
    "me:supervision": (None, "login ok    ok    home  home  no    home  home  no"),
    "me:log_session": (None, "login ok    ok    home  home  no    home  home  no"),
    "me:session": ("session", "login ok    404   home  home  no    home  home  no"),
    "me:changes": (None, "login ok    ok    home  home  no    home  home  no"),
    "me:account": (None, "login ok    ok    ok    ok    no    ok    ok    no"),
    "me:password": (None, "login ok    ok    ok    ok    no    ok    ok    no"),
    # Training workspace
    "training_admin:pending": (None, "login home  home  home  home  ok    home  home  ok"),
    "training_admin:verify": ("record", "login home  home  home  home  ok    home  home  ok"),
    "training_admin:reject": ("record", "login home  home  home  home  ok    home  home  ok"),
    "training_admin:correct": ("record", "login home  home  home  home  ok    home  home  ok"),
    "training_admin:revoke": (
        "verified_record",
        "login home  home  home  home  ok    home  home  ok",
    ),
    "training_admin:register": (None, "login home  home  home  home  ok    home  home  ok"),
    "training_admin:check_statistics": (
        None,
        "login home  home  home  home  ok    home  home  ok",
    ),
    "training_admin:team": (None, "login home  home  site  site  ok    home  home  ok"),
    # Supervision workspace
    "supervision_workspace:log": (None, "login site  site  site  site  no    home  home  no"),
    "supervision_workspace:waiting": (None, "login home  home  home  home  ok    home  home  ok"),
    "supervision_workspace:session": (
        "session",
        "login site  404   site  404   404   404   404   404",
    ),
    "supervision_workspace:confirm": (
        "session",
        "login 405   405   405   405   405   405   405   405",
    ),
    # A session psw1 logged, waiting for their supervisor: only they may decline it.
    "supervision_workspace:decline": (
        "waiting_session",
        "login 404   404   site  404   404   404   404   404",
    ),
    # The supervisor's pages on the site
    "supervision:supervisees": (None, "login no    no    ok    ok    no    no    no    no"),
    "supervision:log": (None, "login no    no    ok    ok    no    no    no    no"),
    "supervision:log_group": (None, "login no    no    ok    ok    no    no    no    no"),
    "supervision:sessions": (None, "login no    no    ok    ok    no    no    no    no"),
    "compliance:supervisee_training": (None, "login no    no    ok    ok    no    no    no    no"),
    "certificates:supervisees": (None, "login no    no    ok    ok    no    no    no    no"),
    # A session's page is for its two parties; the supervisee signs off there.
    "supervision:session": ("session", "login ok    404   ok    404   404   404   404   404"),
    "supervision:sign_off": ("session", "login 405   405   405   405   405   405   405   405"),
    "supervision:confirm": ("session", "login 405   405   405   405   405   405   405   405"),
    "supervision:correct": ("session", "login 404   404   ok    404   404   404   404   404"),
    "supervision:decline": (
        "waiting_session",
        "login 404   404   ok    404   404   404   404   404",
    ),
    # A group session psw1 came to, facilitated by their supervisor.
    "supervision:group": ("group", "login ok    404   ok    404   404   404   404   404"),
    "supervision:correct_group": ("group", "login no    no    ok    404   no    no    no    no"),
    # Compliance dashboards
    "compliance_admin:matrix": (None, "login home  home  home  home  ok    home  home  ok"),
    "compliance_admin:summary": (None, "login home  home  home  home  ok    home  home  ok"),
    "compliance_admin:trends": (None, "login home  home  home  home  ok    home  home  ok"),
    "compliance_admin:person": ("person", "login site  404   site  404   ok    site  home  ok"),
    # A service lead's pages on the site: their own service only
    "compliance:service": (None, "login no    no    no    no    no    ok    ok    no"),
    "compliance:service_people": (None, "login no    no    no    no    no    ok    ok    no"),
    "compliance:service_person": ("person", "login no    no    no    no    no    ok    404   no"),
    # Audit history
    "audit_log": (None, "login home  home  home  home  ok    home  home  ok"),
    "audit_record_history": ("history", "login home  404   404   404   ok    404   404   ok"),
    "audit_subject_access": ("person", "login ok    404   404   404   ok    404   404   ok"),
    # Viewsets: training records
    "training-records:index": (None, "login site  site  home  home  ok    home  home  ok"),
    "training-records:index_results": (None, "login home  home  home  home  ok    home  home  ok"),
    "training-records:add": (None, "login home  home  home  home  no    home  home  no"),
    "training-records:edit": ("record", "login home  home  home  home  no    home  home  no"),
    "training-records:delete": ("record", "login home  404   404   404   no    404   404   no"),
    "training-records:history": ("record", "login site  404   404   404   ok    404   404   ok"),
    "training-records:history_results": (
        "record",
        "login home   404   404   404   ok    404   404   ok",
    ),
    "training-records:usage": ("record", "login home  404   404   404   no    404   404   no"),
    "training-records:inspect": ("record", "login site  404   404   404   ok    404   404   ok"),
    # Viewsets: exemptions
    "training-exemptions:index": (None, "login home  home  home  home  ok    home  home  ok"),
    "training-exemptions:index_results": (
        None,
        "login home  home  home  home  ok    home  home  ok",
    ),
    "training-exemptions:add": (None, "login home  home  home  home  ok    home  home  ok"),
    "training-exemptions:edit": ("exemption", "login home  home  home  home  ok    home  home  ok"),
    "training-exemptions:delete": (
        "exemption",
        "login home  404   404   404   no    404   404   no",
    ),
    "training-exemptions:history": (
        "exemption",
        "login home  404   404   404   ok    404   404   ok",
    ),
    "training-exemptions:history_results": (
        "exemption",
        "login home  404   404   404   ok    404   404   ok",
    ),
    "training-exemptions:usage": (
        "exemption",
        "login home  404   404   404   ok    404   404   ok",
    ),
    "training-exemptions:inspect": (
        "exemption",
        "login home  404   404   404   ok    404   404   ok",
    ),
    # Viewsets: placements (managers; the people who may see psw1's statuses find the
    # placement and are refused, everyone else does not find it)
    "placements:index": (None, "login home  home  home  home  ok    home  home  ok"),
    "placements:index_results": (None, "login home  home  home  home  ok    home  home  ok"),
    "placements:add": (None, "login home  home  home  home  ok    home  home  ok"),
    "placements:edit": ("placement", "login home  home  home  home  ok    home  home  ok"),
    "placements:delete": ("placement", "login home  404   home  404   no    home  404   no"),
    "placements:history": ("placement", "login home  404   home  404   ok    home  404   ok"),
    "placements:history_results": (
        "placement",
        "login home  404   home  404   ok    home  404   ok",
    ),
    "placements:usage": ("placement", "login home  404   home  404   ok    home  404   ok"),
    "placements:inspect": ("placement", "login home  404   home  404   ok    home  404   ok"),
    # Viewsets: knowledge-check attempts (managers read them; nobody edits them here)
    "check-attempts:index": (None, "login home  home  home  home  ok    home  home  ok"),
    "check-attempts:index_results": (None, "login home  home  home  home  ok    home  home  ok"),
    "check-attempts:add": (None, "login home  home  home  home  no    home  home  no"),
    "check-attempts:edit": ("attempt", "login home  home  home  home  no    home  home  no"),
    "check-attempts:delete": ("attempt", "login home  404   404   404   no    404   404   no"),
    "check-attempts:history": ("attempt", "login home  404   404   404   ok    404   404   ok"),
    "check-attempts:history_results": (
        "attempt",
        "login home  404   404   404   ok    404   404   ok",
    ),
    "check-attempts:usage": ("attempt", "login home  404   404   404   no    404   404   no"),
    "check-attempts:inspect": ("attempt", "login home  404   404   404   ok    404   404   ok"),
    # Viewsets: the reminder log (managers read it; nobody edits it)
    "reminder-log:index": (None, "login home  home  home  home  ok    home  home  ok"),
    "reminder-log:index_results": (None, "login home  home  home  home  ok    home  home  ok"),
    "reminder-log:add": (None, "login home  home  home  home  no    home  home  no"),
    "reminder-log:inspect": ("reminder", "login 404   404   404   404   ok    404   404   ok"),
    "reminder-log:edit": ("reminder", "login home  home  home  home  no    home  home  no"),
    "reminder-log:delete": ("reminder", "login 404   404   404   404   no    404   404   no"),
    "reminder-log:history": ("reminder", "login 404   404   404   404   ok    404   404   ok"),
    "reminder-log:history_results": (
        "reminder",
        "login 404   404   404   404   ok    404   404   ok",
    ),
    "reminder-log:usage": ("reminder", "login 404   404   404   404   no    404   404   no"),
    # Viewsets: arrangements
    "supervision_arrangements:index": (None, "login home  home  home  home  ok    home  home  ok"),
    "supervision_arrangements:index_results": (
        None,
        "login home  home  home  home  ok    home  home  ok",
    ),
    "supervision_arrangements:add": (None, "login home  home  home  home  ok    home  home  ok"),
    "supervision_arrangements:edit": (
        "arrangement",
        "login home  home  home  home  ok    home  home  ok",
    ),
    "supervision_arrangements:delete": (
        "arrangement",
        "login home  404   home  404   no    home  404   no",
    ),
    "supervision_arrangements:history": (
        "arrangement",
        "login home  404   home  404   ok    home  404   ok",
    ),
    "supervision_arrangements:history_results": (
        "arrangement",
        "login home  404   home  404   ok    home  404   ok",
    ),
    "supervision_arrangements:usage": (
        "arrangement",
        "login home  404   home  404   ok    home  404   ok",
    ),
    # Viewsets: sessions
    "supervision_sessions:index": (None, "login home  home  home  home  ok    home  home  ok"),
    "supervision_sessions:index_results": (
        None,
        "login home  home  home  home  ok    home  home  ok",
    ),
    "supervision_sessions:add": (None, "login home  home  home  home  no    home  home  no"),
    "supervision_sessions:edit": ("session", "login home  home  home  home  no    home  home  no"),
    "supervision_sessions:delete": (
        "session",
        "login home  404   home  404   no    404   404   no",
    ),
    "supervision_sessions:history": (
        "session",
        "login home  404   home  404   no    404   404   no",
    ),
    "supervision_sessions:history_results": (
        "session",
        "login home  404   home  404   no    404   404   no",
    ),
    "supervision_sessions:usage": ("session", "login home  404   home  404   no    404   404   no"),
    # Viewsets: services (administrators only)
    "services:index": (None, "login home  home  home  home  no    home  home  ok"),
    "services:index_results": (None, "login home  home  home  home  no    home  home  ok"),
    "services:add": (None, "login home  home  home  home  no    home  home  ok"),
    "services:edit": ("service", "login home  home  home  home  no    home  home  ok"),
    "services:delete": ("service", "login home  home  home  home  no    home  home  ok"),
    "services:history": ("service", "login home  home  home  home  no    home  home  ok"),
    "services:history_results": ("service", "login home  home  home  home  no    home  home  ok"),
    "services:usage": ("service", "login home  home  home  home  no    home  home  ok"),
    "services:inspect": ("service", "login home  home  home  home  no    home  home  ok"),
    # People (Wagtail's user admin with the project's forms)
    "wagtailusers_users:index": (None, "login home  home  home  home  no    home  home  ok"),
    "wagtailusers_users:index_results": (
        None,
        "login home  home  home  home  no    home  home  ok",
    ),
    "wagtailusers_users:add": (None, "login home  home  home  home  no    home  home  ok"),
    "wagtailusers_users:edit": ("person", "login home  home  home  home  no    home  home  ok"),
    "wagtailusers_users:delete": ("person", "login home  home  home  home  no    home  home  ok"),
    "wagtailusers_users:history": ("person", "login home  home  home  home  no    home  home  ok"),
    "wagtailusers_users:history_results": (
        "person",
        "login home  home  home  home  no    home  home  ok",
    ),
    "wagtailusers_users:usage": ("person", "login home  home  home  home  no    home  home  ok"),
    # Outside the admin: recording, evidence, certificates, passport
    "training:record": ("module", "login ok    ok    no    no    no    no    no    no"),
    "training:evidence": ("evidence", "login ok    404   404   404   ok    404   404   ok"),
    "certificates:check_form": (None, "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    "certificates:check": ("shown_code", "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    "certificates:pdf": ("code", "login ok    404   ok    404   ok    404   404   ok"),
    "passport": ("username", "login ok    404   ok    404   ok    404   404   ok"),
    # Wagtail pages: the home page is public, the module pages need a login
    "wagtail_serve": ("training_pages", "login ok    ok    ok    ok    ok    ok    ok    ok"),
}
