"""The enrollment upload in the admin (Members > Import enrollment file), and its error file.

Mounted by `MemberAdmin.get_urls` behind the admin's login; only those who may add and change
members and coverage periods (the enrollment administrator, superusers) get past `_may_import`.
The error file holds the rejected rows (names, birth dates): it is kept under MEDIA_ROOT for a
day, named by a random token, and served only to the session that uploaded it.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from priorauth.members.enrollment.forms import EnrollmentUploadForm
from priorauth.members.enrollment.rows import header_positions
from priorauth.members.enrollment.services import EnrollmentFileInvalid, enrollment_import

TEMPLATE = "admin/members/member/enrollment_import.html"
IMPORT_PERMISSIONS = (
    "members.add_member",
    "members.change_member",
    "members.add_coverageperiod",
    "members.change_coverageperiod",
)
SHOWN_REJECTIONS = 200
ERROR_FILES_KEPT_SECONDS = 24 * 60 * 60
_SESSION_KEY = "enrollment_error_files"


def may_import(request: HttpRequest) -> bool:
    return request.user.has_perms(IMPORT_PERMISSIONS)


def enrollment_upload(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    """Show the upload form; on a valid upload, import it and show the summary and rejected rows."""
    _may_import(request)
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "title": "Import enrollment file",
        "opts": model_admin.model._meta,
    }
    form = EnrollmentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token, errors_path = _error_file_new()
        try:
            with open(errors_path, "w", encoding="utf-8", newline="") as errors:
                summary = enrollment_import(
                    source=io.TextIOWrapper(upload.open("rb").file, encoding="utf-8-sig", newline=""),
                    file_name=Path(upload.name).name,
                    errors_to=errors,
                    dry_run=form.cleaned_data["dry_run"],
                    user=request.user,
                )
        except EnrollmentFileInvalid as invalid:
            errors_path.unlink()
            form.add_error("file", f"{invalid} Nothing was imported.")
        else:
            context |= {"summary": summary, **_rejections(request, token, errors_path, summary.rejected)}
    context["form"] = form
    return TemplateResponse(request, TEMPLATE, context)


def enrollment_errors(request: HttpRequest, token: str) -> FileResponse:
    """Return the error file of an upload made in this session, as a CSV download; 404 otherwise."""
    _may_import(request)
    if token not in request.session.get(_SESSION_KEY, []):
        raise Http404("No such error file.")
    path = _error_dir() / f"{token}.csv"
    if not path.exists():
        raise Http404("The error file has expired; upload the file again to see its rejected rows.")
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename="enrollment-rejected-rows.csv",
        content_type="text/csv",
    )


def _may_import(request: HttpRequest) -> None:
    if not may_import(request):
        raise PermissionDenied


def _error_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "enrollment-errors"


def _error_file_new() -> tuple[str, Path]:
    """Return a new error file's token and path, removing error files older than a day."""
    directory = _error_dir()
    directory.mkdir(parents=True, exist_ok=True)
    expired = time.time() - ERROR_FILES_KEPT_SECONDS
    for old in directory.glob("*.csv"):
        if old.stat().st_mtime < expired:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    return token, directory / f"{token}.csv"


def _rejections(request: HttpRequest, token: str, path: Path, rejected: int) -> dict[str, Any]:
    """Return the first rejected rows to show (line, member ID, reason) and the error file's token."""
    if not rejected:
        path.unlink()
        return {}
    request.session[_SESSION_KEY] = [*request.session.get(_SESSION_KEY, [])[-9:], token]
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        position = header_positions(next(reader)[1:-1])["member_id"]
        shown = [
            {"line": row[0], "member_id": _at(row[1:-1], position), "reason": row[-1]}
            for row in islice(reader, SHOWN_REJECTIONS)
        ]
    return {"rejected_rows": shown, "errors_token": token}


def _at(fields: list[str], position: int) -> str:
    return fields[position] if position < len(fields) else ""
