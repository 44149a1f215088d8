"""Refuse a post larger than a request's documents may ever be, before any of it is read.

Django caps a form's text fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not its files: those go to
temporary files however large, and only then does the form refuse them. A post announcing more
than REQUEST_DOCUMENT_BYTES and room for the form's text is answered 413 at once, with a page
that says so. The proxy in front should refuse it sooner still (e.g. nginx client_max_body_size).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from priorauth import limits

# The form's text fields and the multipart framing of 50 files fit well within this.
FORM_ROOM = 5 * 1024 * 1024
MAX_BODY_BYTES = limits.REQUEST_DOCUMENT_BYTES + FORM_ROOM


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            context = {"most": f"{limits.REQUEST_DOCUMENT_BYTES // 1048576} MB"}
            return render(request, "upload_too_large.html", context, status=413)
        return self.get_response(request)
