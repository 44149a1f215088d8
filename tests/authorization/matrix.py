"""The authorization matrix: the status each role gets on a GET of each URL pattern.

One row per URL pattern, one column per person of the matrix world (world.py): anonymous,
office staff of organization A (whose request, document, letter and member the object URLs
name) and of organization B, the nurse, physician, supervisor, policy administrator,
enrollment administrator, privacy officer and a superuser. A new URL pattern needs a row here,
or test_matrix fails naming it. Codes: 200 shown, 302 sent to a login page (or onward), 403
refused, 404 hidden (the page or the object is not theirs to know of), 405 the URL takes POST
only. Column heads: anon(ymous), st(aff of organization) A and B, nur(se), phy(sician),
sup(ervisor), pol(icy administrator), enr(ollment administrator), priv(acy officer), root
(superuser): world.COLUMNS, in order.

Admin pages are grouped by model (ADMIN_MODELS): the model's list, add, change, delete and
history pages all answer its row, unless EXPECTED lists the page by name.
"""

from __future__ import annotations

Row = tuple[int, int, int, int, int, int, int, int, int, int]

# Django's admin sends anyone who is not staff to its login page, whatever the page.
NOT_STAFF = (302, 302, 302, 302, 302, 302)

# fmt: off
#                                                 anon stA  stB  nur  phy  sup  pol  enr  priv root
EXPECTED: dict[str, Row] = {
    "home":                                      (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "healthz":                                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "login":                                     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "logout":                                    (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The provider's pages: other roles are refused; organization B never finds A's objects.
    "requests:list":                             (302, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    "requests:new":                              (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "requests:start":                            (302, 405, 405, 403, 403, 403, 403, 403, 403, 403),
    "requests:detail":                           (302, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    "requests:edit":                             (302, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    "requests:withdraw":                         (302, 405, 405, 403, 403, 403, 403, 403, 403, 403),
    "requests:answer":                           (302, 405, 405, 403, 403, 403, 403, 403, 403, 403),
    "requests:attachment":                       (302, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    "members:lookup":                            (302, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    "members:detail":                            (302, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    # The letter: its organization's staff and the review side.
    "letters:letter":                            (302, 200, 404, 200, 200, 200, 404, 404, 404, 404),
    "letters:pdf":                               (302, 200, 404, 200, 200, 200, 404, 404, 404, 404),
    # Appeals: the office files from its request; the Appeals queue's physicians (and the
    # supervisors) decide; the letter goes to the office and the review side that works appeals.
    "appeals:file":                              (302, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    "appeals:queue":                             (302, 404, 404, 200, 200, 200, 404, 404, 404, 404),
    "appeals:review":                            (302, 404, 404, 404, 200, 200, 404, 404, 404, 404),
    "appeals:document":                          (302, 404, 404, 404, 200, 200, 404, 404, 404, 404),
    "appeals:letter":                            (302, 200, 404, 404, 200, 200, 404, 404, 404, 404),
    "appeals:letter_pdf":                        (302, 200, 404, 404, 200, 200, 404, 404, 404, 404),
    "letters:letter_of":                         (302, 200, 404, 200, 200, 200, 404, 404, 404, 404),
    "letters:pdf_of":                            (302, 200, 404, 200, 200, 200, 404, 404, 404, 404),
    # Asking for a peer-to-peer talk: its organization's staff only (reviewers schedule on the review page).
    "peer_to_peer:request":                      (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "notifications:list":                        (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifications:read":                        (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "notifications:read_all":                    (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The review side does not exist for anyone but reviewers and supervisors.
    "review:queues":                             (302, 404, 404, 200, 200, 200, 404, 404, 404, 404),
    "review:queue":                              (302, 404, 404, 200, 200, 200, 404, 404, 404, 404),
    "review:request":                            (302, 404, 404, 200, 200, 200, 404, 404, 404, 404),
    "review:act":                                (302, 404, 404, 405, 405, 405, 404, 404, 404, 404),
    "review:document":                           (302, 404, 404, 200, 200, 200, 404, 404, 404, 404),
    "review:supervisor":                         (302, 404, 404, 404, 404, 200, 404, 404, 404, 404),
    "review:supervisor_reassign":                (302, 404, 404, 405, 405, 405, 404, 404, 404, 404),
    "review:reroute":                            (302, 404, 404, 404, 404, 200, 404, 404, 404, 404),
    "review:assignments":                        (302, 404, 404, 404, 404, 200, 404, 404, 404, 404),
    "review:assignment_remove":                  (302, 404, 404, 405, 405, 405, 404, 404, 404, 404),
    # The prior-authorization metrics: the public page and its downloads for everyone, no login;
    # the dashboard is the supervisors'.
    "metrics:public":                            (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "metrics:public_csv":                        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "metrics:public_json":                       (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "metrics:dashboard":                         (302, 404, 404, 404, 404, 200, 404, 404, 404, 404),
    # The privacy officer's pages: the PHI access log and accountings of disclosures.
    "privacy:log":                               (302, 404, 404, 404, 404, 404, 404, 404, 200, 200),
    "privacy:log_export":                        (302, 404, 404, 404, 404, 404, 404, 404, 200, 200),
    "privacy:disclosures_search":                (302, 404, 404, 404, 404, 404, 404, 404, 200, 200),
    "privacy:disclosures":                       (302, 404, 404, 404, 404, 404, 404, 404, 200, 200),
    "privacy:disclosures_export":                (302, 404, 404, 404, 404, 404, 404, 404, 200, 200),
    # Sign-in (priorauth.accounts). The code page sends the verified on (and those without an
    # authenticator to set-up); set-up is for those without one (office staff here: every other
    # role already has one), its QR code likewise; turning it off takes a POST; the session page
    # answers the idle-warning script, signed in or not; lockouts are the supervisor's.
    "accounts:code":                             (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "accounts:setup":                            (302, 200, 200, 302, 302, 302, 302, 302, 302, 302),
    "accounts:setup_qr":                         (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "accounts:turn_off":                         (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "accounts:security":                         (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:session":                          (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:lockouts":                         (302, 404, 404, 404, 404, 200, 404, 404, 404, 200),
    # The PAS API's OAuth token endpoint: POST only, for API clients (no session involved).
    "oauth:token":                               (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # The PAS subscriptions: a bearer token of an API client, never a session (401 for everyone).
    "fhir_subscriptions:create":                 (401, 401, 401, 401, 401, 401, 401, 401, 401, 401),
    "fhir_subscriptions:detail":                 (401, 401, 401, 401, 401, 401, 401, 401, 401, 401),
    # The FHIR API (Da Vinci PAS): metadata for anyone; the operations take a POST with a bearer token.
    "fhir:metadata":                             (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "fhir:submit":                               (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "fhir:inquire":                              (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Any other path under /fhir/: a 404 OperationOutcome, whoever asks.
    "fhir_not_found":                            (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    # API clients are revoked, never deleted.
    "admin:pas_apiclient_delete":                (*NOT_STAFF,                   403, 403, 302, 403),
    # The admin site's own pages.
    "admin:index":                               (*NOT_STAFF,                   200, 200, 302, 200),
    "admin:login":                               (200, 200, 200, 200, 200, 200, 302, 302, 200, 302),
    "admin:logout":                              (*NOT_STAFF,                   405, 405, 302, 405),
    "admin:password_change":                     (*NOT_STAFF,                   200, 200, 302, 200),
    "admin:password_change_done":                (*NOT_STAFF,                   200, 200, 302, 200),
    "admin:autocomplete":                        (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:jsi18n":                              (*NOT_STAFF,                   200, 200, 302, 200),
    "admin:view_on_site":                        (*NOT_STAFF,                   404, 404, 302, 404),
    "admin:app_list":                            (*NOT_STAFF,                   200, 404, 302, 200),
    "admin/(?P<url>.*)$":                        (*NOT_STAFF,                   404, 404, 302, 404),
    "admin:auth_user_password_change":           (*NOT_STAFF,                   403, 403, 302, 200),
    # Admin pages that differ from their model's row.
    "admin:policies_policy_delete":              (*NOT_STAFF,                   403, 403, 302, 200),
    "admin:requests_priorauthrequest_add":       (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:requests_priorauthrequest_delete":    (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:requests_requestevent_add":           (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:requests_requestevent_delete":        (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:notifications_notification_add":      (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:notifications_notification_delete":   (*NOT_STAFF,                   403, 403, 302, 403),
    # The enrollment file: for those who may add and change members and their coverage.
    "admin:members_member_import":               (*NOT_STAFF,                   403, 200, 302, 200),
    "admin:members_member_import_errors":        (*NOT_STAFF,                   403, 404, 302, 404),
    # A TOTP device's QR code and key: the superuser's, to set one up for someone.
    "admin:otp_totp_totpdevice_config":          (*NOT_STAFF,                   403, 403, 302, 200),
    "admin:otp_totp_totpdevice_qrcode":          (*NOT_STAFF,                   403, 403, 302, 200),
    # django-axes' records are written by sign-in alone: nobody adds one by hand.
    "admin:axes_accessattempt_add":              (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:axes_accesslog_add":                  (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:axes_accessfailurelog_add":           (*NOT_STAFF,                   403, 403, 302, 403),
    # The access log is append-only: nobody adds or deletes a row, the superuser included.
    "admin:audit_phiaccess_add":                 (*NOT_STAFF,                   403, 403, 302, 403),
    "admin:audit_phiaccess_delete":              (*NOT_STAFF,                   403, 403, 302, 403),
    # A subscription is made by its API client, and switched off rather than deleted.
    "admin:pas_subscriptions_subscription_add":    (*NOT_STAFF,                 403, 403, 302, 403),
    "admin:pas_subscriptions_subscription_delete": (*NOT_STAFF,                 403, 403, 302, 403),
}

# Policy records: the policy administrator's; members and coverage: the enrollment
# administrator's; people, organizations, requests and the outbox: the superuser's only.
#                                                 anon stA  stB  nur  phy  sup  pol  enr  priv root
ADMIN_MODELS: dict[str, Row] = {
    "policies.policy":                           (*NOT_STAFF,                   200, 403, 302, 200),
    "policies.product":                          (*NOT_STAFF,                   200, 403, 302, 200),
    "policies.reviewqueue":                      (*NOT_STAFF,                   200, 403, 302, 200),
    "policies.routingentry":                     (*NOT_STAFF,                   200, 403, 302, 200),
    "policies.timeframerule":                    (*NOT_STAFF,                   200, 403, 302, 200),
    "policies.holiday":                          (*NOT_STAFF,                   200, 403, 302, 200),
    "members.plan":                              (*NOT_STAFF,                   200, 403, 302, 200),
    "review.queueassignment":                    (*NOT_STAFF,                   200, 403, 302, 200),
    "pas.apiclient":                             (*NOT_STAFF,                   200, 403, 302, 200),
    "members.member":                            (*NOT_STAFF,                   403, 200, 302, 200),
    "members.user":                              (*NOT_STAFF,                   403, 403, 302, 200),
    "members.providerorganization":              (*NOT_STAFF,                   403, 403, 302, 200),
    "auth.group":                                (*NOT_STAFF,                   403, 403, 302, 200),
    "requests.priorauthrequest":                 (*NOT_STAFF,                   403, 403, 302, 200),
    "requests.requestevent":                     (*NOT_STAFF,                   403, 403, 302, 200),
    "notifications.notification":                (*NOT_STAFF,                   403, 403, 302, 200),
    "pas_subscriptions.subscription":            (*NOT_STAFF,                   403, 403, 302, 200),
    "audit.phiaccess":                           (*NOT_STAFF,                   403, 403, 302, 200),
    # Sign-in records (django-axes) and authenticators (django-otp): the superuser's.
    "axes.accessattempt":                        (*NOT_STAFF,                   403, 403, 302, 200),
    "axes.accesslog":                            (*NOT_STAFF,                   403, 403, 302, 200),
    "axes.accessfailurelog":                     (*NOT_STAFF,                   403, 403, 302, 200),
    "otp_totp.totpdevice":                       (*NOT_STAFF,                   403, 403, 302, 200),
}
# fmt: on

# The admin's old-style object URL (/admin/<app>/<model>/<id>/) redirects everyone to the change page.
ADMIN_OBJECT_REDIRECT: Row = (302, 302, 302, 302, 302, 302, 302, 302, 302, 302)
