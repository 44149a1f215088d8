"""The pieces the request forms share: plain-words error messages, a yes/no field, documents.

Django's default messages ("Enter a valid date.") are replaced with ones naming what the
field asks for; uploaded documents are checked by size and by content, not by name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import pretty_name

from priorauth.requests import documents, validation
from priorauth.requests.services import Upload

YES_NO = [("yes", "Yes"), ("no", "No")]


def _plain_messages(field: forms.Field, what: str) -> dict[str, str]:
    """Return the field's error messages in plain words, naming what the field asks for."""
    if isinstance(field, YesNoField):
        return {"invalid_choice": f"Please answer “{field.label}” with yes or no."}
    if isinstance(field, forms.ChoiceField):
        return {"invalid_choice": f"Please choose the {what} from the list."}
    if isinstance(field, forms.DateField):
        return {"invalid": f"Please enter the {what} as MM/DD/YYYY."}
    if isinstance(field, forms.IntegerField):
        return {
            "invalid": f"Please enter the {what} as a whole number.",
            "min_value": f"The {what} cannot be less than %(limit_value)s.",
            "max_value": f"The {what} cannot be more than %(limit_value)s.",
        }
    if isinstance(field, forms.FileField):
        return {
            "invalid": "That was not a file: please choose the document again.",
            "missing": "The document did not arrive: please choose it again.",
            "empty": "One of the documents is empty: please check it and choose it again.",
            "max_length": "A document's name may be at most %(max)d characters: please rename it.",
        }
    return {
        "max_length": f"Please keep the {what} to %(limit_value)d characters (it has %(show_value)d).",
        "null_characters_not_allowed": f"The {what} contains a character we cannot store.",
    }


def use_plain_messages(form: forms.BaseForm, names: dict[str, str] | None = None) -> None:
    """Replace Django's default error messages on every field of the form with plain words.

    `names` gives the words for a field whose label does not read well inside a sentence.
    """
    for name, field in form.fields.items():
        label = str(field.label or pretty_name(name))
        what = (names or {}).get(name) or (label if label[:2].isupper() else label[:1].lower() + label[1:])
        field.error_messages.update(_plain_messages(field, what))


def max_upload_bytes() -> int:
    return getattr(settings, "PA_MAX_UPLOAD_BYTES", validation.DEFAULT_MAX_UPLOAD_BYTES)


class YesNoField(forms.TypedChoiceField):
    """A yes/no question that may be left unanswered (None) while the request is a draft."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=YES_NO,
            coerce=lambda v: v == "yes",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        return {True: "yes", False: "no"}.get(value, value)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(required=False, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def check_uploads(files: list[UploadedFile]) -> tuple[list[Upload], list[str]]:
    """Return the acceptable documents (content type by content, digest) and a message per refused one."""
    accepted, errors = [], []
    limit = max_upload_bytes()
    for upload in files:
        if upload.size > limit:
            errors.append(
                f"{upload.name} is {upload.size / 1048576:.1f} MB; each document may be at most "
                f"{limit / 1048576:.0f} MB."
            )
            continue
        upload.seek(0)
        content_type = validation.detect_content_type(upload.read(8))
        if content_type is None:
            errors.append(
                f"{upload.name} is not a PDF, PNG or JPEG file (we check the content, not the name)."
            )
            continue
        if problem := documents.document_problem(upload, content_type, upload.name):
            errors.append(problem)
            continue
        accepted.append(Upload(upload, content_type, validation.sha256_of(upload.chunks())))
    return accepted, errors


class DocumentsMixin:
    """A form's `attachments` field checked as documents: the accepted ones kept as `uploads`."""

    cleaned_data: dict[str, Any]
    uploads: list[Upload]

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data["attachments"]
        self.uploads, errors = check_uploads(files)
        if errors:
            raise forms.ValidationError(errors)
        return files
