"""The enrollment upload in the admin: who may use it, what it shows, and its error file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from priorauth.members.models import CoveragePeriod, Member
from tests.members.enrollment.conftest import csv_text

IMPORT_URL = "admin:members_member_import"
GOOD = "M1,Ada,Lovelace,1980-12-10,OH-MKT-SILVER-2026,2026-01-01,2026-12-31"
BAD_PLAN = "M2,Bob,Smith,1970-01-01,OH-GOLD,2026-01-01,2026-12-31"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client: Client, text: str, *, dry_run: bool = False, name: str = "members.csv"):
    data = {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse(IMPORT_URL), data)


def test_it_offers_the_import_on_the_member_list_to_the_enrollment_admin(client: Client, enrollment_admin):
    client.force_login(enrollment_admin)

    page = client.get(reverse("admin:members_member_changelist")).content.decode()

    assert f'href="{reverse(IMPORT_URL)}"' in page
    assert "Import enrollment file" in page
    assert client.get(reverse(IMPORT_URL)).status_code == 200


def test_it_imports_and_shows_the_summary_and_the_rejected_rows(client: Client, enrollment_admin, plans):
    client.force_login(enrollment_admin)

    response = upload(client, csv_text(GOOD, BAD_PLAN))

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.rows, summary.applied, summary.unchanged, summary.rejected) == (2, 1, 0, 1)
    assert response.context["rejected_rows"] == [
        {"line": "3", "member_id": "M2", "reason": "unknown plan OH-GOLD"}
    ]
    page = response.content.decode()
    assert "unknown plan OH-GOLD" in page and "Download the rejected rows" in page
    member = Member.objects.get()
    assert member.member_id == "M1"
    assert member.history.get().history_user == enrollment_admin
    assert member.history.get().history_change_reason == "enrollment file members.csv"


def test_it_offers_the_error_file_to_the_session_that_uploaded_it(client: Client, enrollment_admin, plans):
    client.force_login(enrollment_admin)
    token = upload(client, csv_text(GOOD, BAD_PLAN)).context["errors_token"]
    url = reverse("admin:members_member_import_errors", args=[token])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="enrollment-rejected-rows.csv"'
    assert b"".join(response.streaming_content).decode().splitlines() == [
        f"line,{csv_text().strip()},reason",
        f"3,{BAD_PLAN},unknown plan OH-GOLD",
    ]
    other = Client()
    other.force_login(enrollment_admin)
    assert other.get(url).status_code == 404


def test_a_dry_run_shows_the_counts_and_writes_nothing(client: Client, enrollment_admin, plans):
    client.force_login(enrollment_admin)

    response = upload(client, csv_text(GOOD), dry_run=True)

    assert response.context["summary"].applied == 1
    assert "Dry run: nothing was written" in response.content.decode()
    assert not Member.objects.exists() and not CoveragePeriod.objects.exists()


def test_it_says_which_column_is_missing_and_imports_nothing(client: Client, enrollment_admin, plans):
    client.force_login(enrollment_admin)

    response = upload(client, "member_id,first_name\nM1,Ada\n")

    assert response.status_code == 200
    assert "The header row lacks the columns last_name, date_of_birth" in response.content.decode()
    assert "Nothing was imported." in response.content.decode()
    assert not Member.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(client: Client, enrollment_admin, plans, settings):
    settings.ENROLLMENT_UPLOAD_MAX_BYTES = 100
    client.force_login(enrollment_admin)

    response = upload(client, csv_text(GOOD, GOOD))

    page = response.content.decode()
    assert (
        "the upload takes files up to 100\xa0bytes. Import larger files with manage.py import_members" in page
    )
    assert not Member.objects.exists()


def test_it_refuses_a_post_without_the_csrf_token(enrollment_admin, plans):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrollment_admin)

    assert upload(client, csv_text(GOOD)).status_code == 403
    assert not Member.objects.exists()


def test_a_policy_admin_gets_403_and_no_button(client: Client, policy_admin, enrollment_admin, plans):
    owner = Client()
    owner.force_login(enrollment_admin)
    token = upload(owner, csv_text(BAD_PLAN)).context["errors_token"]
    client.force_login(policy_admin)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert upload(client, csv_text(GOOD)).status_code == 403
    assert client.get(reverse("admin:members_member_import_errors", args=[token])).status_code == 403
    assert not Member.objects.exists()


def test_provider_staff_are_sent_to_the_admin_login(client: Client, provider_staff):
    client.force_login(provider_staff)

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
