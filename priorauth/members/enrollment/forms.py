"""The admin's enrollment upload: one CSV file and the dry-run choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from priorauth.members.enrollment.rows import COLUMNS


class EnrollmentUploadForm(forms.Form):
    file = forms.FileField(
        label="Enrollment file (CSV)",
        help_text=f"UTF-8 CSV whose header starts {','.join(COLUMNS)}; dates as YYYY-MM-DD.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: show what would change, write nothing",
        label_suffix="",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.ENROLLMENT_UPLOAD_MAX_BYTES)
        self.fields["file"].help_text += f" Up to {limit}; import larger files with manage.py import_members."

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        limit = settings.ENROLLMENT_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the upload takes files up to "
                f"{filesizeformat(limit)}. Import larger files with manage.py import_members.",
                code="too_large",
            )
        return upload
