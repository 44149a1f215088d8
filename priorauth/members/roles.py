"""Least privilege by role: which Django admin permissions each role's group holds.

Only the policy administrator works in the admin, and only on policy records and plans'
benefits: never on members, coverage or requests (they need no health information).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from priorauth.members.models import Role, User

# (app label, model) pairs whose add/change/view permissions a role's group gets.
_POLICY_RECORDS = [
    ("policies", "policy"),
    ("policies", "policyrevision"),
    ("policies", "criterion"),
    ("policies", "product"),
    ("policies", "reviewqueue"),
    ("policies", "routingentry"),
    ("policies", "timeframerule"),
    ("policies", "holiday"),
    ("members", "plan"),
    ("review", "queueassignment"),
    # The EHRs' API clients (Da Vinci PAS): registered and revoked, never deleted.
    ("pas", "apiclient"),
]

# Members and their coverage are health information: the enrollment administrator keeps them,
# and policy administrators never see them.
_ENROLLMENT_RECORDS = [
    ("members", "member"),
    ("members", "coverageperiod"),
]

ADMIN_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.POLICY_ADMIN: _POLICY_RECORDS,
    Role.ENROLLMENT_ADMIN: _ENROLLMENT_RECORDS,
}
STAFF_ROLES = frozenset({Role.POLICY_ADMIN, Role.ENROLLMENT_ADMIN})

# Who decides requests: claims, pends, escalations and determinations, and who may be given a
# request (claimed work, reassignment). Supervisors assign work; they never decide it.
DECIDING_ROLES = (Role.CLINICAL_REVIEWER, Role.PHYSICIAN_REVIEWER)
# Who works on the review side and may be assigned to a queue: those who decide its requests,
# and supervisors, who watch it (its at-risk warnings) and are never its reviewers.
QUEUE_ROLES = (*DECIDING_ROLES, Role.SUPERVISOR)
# Who must sign in with a second factor (a TOTP code): everyone who reads health information
# beyond their own organization's requests, or changes the records that decide them. Provider
# office staff may turn it on for themselves; superusers, who have no role, always need it.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.CLINICAL_REVIEWER,
        Role.PHYSICIAN_REVIEWER,
        Role.SUPERVISOR,
        Role.POLICY_ADMIN,
        Role.ENROLLMENT_ADMIN,
        Role.PRIVACY_OFFICER,
    }
)


def second_factor_required(user: User) -> bool:
    """Return True when the user may not work without a verified second factor."""
    return user.is_superuser or user.role in SECOND_FACTOR_ROLES


def ensure_role_groups() -> dict[str, Group]:
    """Create or update one group per role with exactly its permissions; return them by role."""
    groups: dict[str, Group] = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.label)
        wanted = ADMIN_PERMISSIONS.get(role, [])
        perms = Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted},
        )
        perms = [
            p
            for p in perms
            if (p.content_type.app_label, p.content_type.model) in wanted
            and p.codename.split("_", 1)[0] in {"add", "change", "view", "delete"}
            and not (p.codename.startswith("delete_") and p.content_type.model == "policy")
        ]
        group.permissions.set(perms)
        groups[role] = group
    return groups


def assign_role(user: User, role: Role) -> None:
    """Give a user a role: its group, and admin access only where the role works there."""
    groups = ensure_role_groups()
    user.role = role
    user.is_staff = role in STAFF_ROLES
    user.save()
    user.groups.set([groups[role]])
