"""Reading a feedback form from a request: its type, its size and its fields.

A form is ``application/x-www-form-urlencoded`` or ``multipart/form-data`` in UTF-8 (else 415),
at most ``max_body_bytes`` long (else 413, from ``Content-Length`` before reading and while
reading a chunked body), with at most ``MAX_FIELDS`` fields, no files, and every name and value
valid UTF-8 (else 400). python-multipart's ``FormParser`` reads both kinds of form; the names and
values it gives are bytes, decoded here strictly (a URL-encoded one as ``urllib.parse.parse_qsl``
decodes it). Every refusal is a ``Refused`` with its status and its message in the site's words.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from urllib.parse import unquote_plus

from python_multipart import FormParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import Field, File, parse_options_header
from starlette.requests import ClientDisconnect, Request

from generator.model.strings import fill_text

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
URLENCODED = FORM_TYPES[0]
MAX_FIELDS = 1000
"""The most fields a form may have (the real form has a few dozen)."""


class Refused(Exception):
    """A request refused before its answers are checked: the status and the message for ``form``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def refusal(
    strings: Mapping[str, str], status: int, key: str, headers: dict[str, str] | None = None, **values: object
) -> Refused:
    """A ``Refused`` whose message is the site's string ``key`` with ``values`` filled in."""
    return Refused(status, fill_text(strings[key], **values), headers)


def decode(raw: bytes, urlencoded: bool) -> str:
    """A field's name or value as text: strictly UTF-8 (``UnicodeDecodeError`` if it is not),
    with ``+`` and ``%xx`` decoded too in a URL-encoded form."""
    text = raw.decode("utf-8")
    return unquote_plus(text, errors="strict") if urlencoded else text


class FormReader:
    """Reads forms for one site (whose words the refusals use), up to ``max_body_bytes`` long."""

    def __init__(self, strings: Mapping[str, str], max_body_bytes: int) -> None:
        self.strings = strings
        self.max_body_bytes = max_body_bytes

    def bad_form(self, key: str, **values: object) -> Refused:
        """The 400 refusal of a form that cannot be read, for the reason the string ``key`` gives."""
        reason = fill_text(self.strings[key], **values)
        return refusal(self.strings, 400, "feedback_service_bad_form", reason=reason)

    def form_type(self, content_type: str) -> tuple[str, bytes | None]:
        """The media type (lower case) and boundary of a ``Content-Type``; ``Refused`` (415) for
        anything but a URL-encoded or multipart form in UTF-8."""
        media_type, params = parse_options_header(content_type)
        name = media_type.decode("latin-1").strip().lower()
        if name not in FORM_TYPES:
            raise refusal(self.strings, 415, "feedback_service_wrong_type")
        charset = params.get(b"charset")
        if charset is not None:
            try:
                codec = codecs.lookup(charset.decode("latin-1")).name
            except (LookupError, UnicodeDecodeError):
                codec = ""
            if codec not in ("utf-8", "ascii"):
                raise refusal(self.strings, 415, "feedback_service_wrong_charset")
        return name, params.get(b"boundary")

    async def read_body(self, request: Request) -> bytes:
        """The request body, refusing (413) as soon as it is longer than the limit."""
        limit = self.max_body_bytes
        length = request.headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise refusal(self.strings, 400, "feedback_service_bad_length")
            if int(length) > limit:
                raise refusal(self.strings, 413, "feedback_service_too_large", limit=limit)
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise refusal(self.strings, 413, "feedback_service_too_large", limit=limit)
        except ClientDisconnect:
            raise self.bad_form("feedback_service_closed") from None
        return bytes(body)

    def parse(self, content_type: str, body: bytes) -> dict[str, list[str]]:
        """The fields of a form body as name -> values (a repeated name keeps every value).

        Raises ``Refused`` (415 or 400) for another content type or charset, text that is not
        UTF-8, a file, too many fields, or a body that is not a well-formed form."""
        media_type, boundary = self.form_type(content_type)
        urlencoded = media_type == URLENCODED
        if not urlencoded and not boundary:
            raise self.bad_form("feedback_service_no_boundary")
        form: dict[str, list[str]] = {}
        try:
            for name, value in self.raw_fields(media_type, boundary, body):
                form.setdefault(decode(name, urlencoded), []).append(decode(value, urlencoded))
        except UnicodeDecodeError:
            raise refusal(self.strings, 400, "feedback_service_bad_encoding") from None
        return form

    def raw_fields(self, media_type: str, boundary: bytes | None, body: bytes) -> list[tuple[bytes, bytes]]:
        """Each field's name and value as python-multipart's ``FormParser`` reads them, in order;
        ``Refused`` (400) for a file, too many fields, or a body that is not a whole form."""
        fields: list[tuple[bytes, bytes]] = []
        ended: list[bool] = []

        def on_field(field: Field) -> None:
            if len(fields) >= MAX_FIELDS:
                raise self.bad_form("feedback_service_too_many_fields", limit=MAX_FIELDS)
            fields.append((field.field_name or b"", field.value or b""))

        def on_file(file: File) -> None:
            raise self.bad_form("feedback_service_no_files")

        # A file part (refused) is kept in memory, never written to a temporary file.
        config = {"MAX_MEMORY_FILE_SIZE": len(body)}
        try:
            parser = FormParser(
                media_type, on_field, on_file, on_end=lambda: ended.append(True), boundary=boundary, config=config
            )
            parser.write(body)
            parser.finalize()
        except FormParserError as error:
            raise self.bad_form("feedback_service_not_well_formed", error=str(error)) from None
        if not ended:
            raise self.bad_form("feedback_service_incomplete")
        return fields
