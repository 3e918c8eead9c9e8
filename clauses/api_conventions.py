"""What every endpoint of the JSON API shares: one error shape, pages, validated queries.

Kept apart from the endpoints because DRF imports the pagination class and the exception handler
named in settings while its own generic views load, before any endpoint module could be.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a machine-readable code, a sentence for people, and per-field
    messages when the input was wrong."""

    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


def _messages(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list | tuple):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def _fields(data: Any) -> dict[str, list[str]]:
    if isinstance(data, Mapping):
        return {
            ("" if name == "non_field_errors" else str(name)): _messages(value)
            for name, value in data.items()
        }
    return {"": _messages(data)}


def error_response(code: str, detail: str, status_code: int, **extra: Any) -> Response:
    return Response({"code": code, "detail": detail, **extra}, status=status_code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every error rewritten into the one shape of ``ErrorSerializer``."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=get_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        fields = _fields(response.data)
        messages = [m for ms in fields.values() for m in ms]
        detail = messages[0] if len(messages) == 1 else "The request has errors: see fields."
        response.data = {"code": "invalid", "detail": detail, "fields": fields}
        return response
    code = getattr(exc, "default_code", "error")
    detail_value = getattr(exc, "detail", None)
    detail = " ".join(_messages(detail_value)) if detail_value is not None else str(exc)
    if isinstance(response.data, Mapping) and "code" in response.data:
        return response
    response.data = {"code": str(code), "detail": detail}
    return response


class NotFoundView(APIView):
    """Any address under /api/ that names no endpoint: 401 for strangers, else 404."""

    permission_classes = [IsAuthenticated]
    schema = None

    def _missing(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound("No API endpoint at this address.")

    get = post = put = patch = delete = head = options = _missing


ERROR_STATUSES = {
    "400": "The input is wrong; ``fields`` says where.",
    "401": (
        "Not signed in: send a session cookie or an ``Authorization: Token <key>`` header; "
        "make a key on the API tokens page, /accounts/tokens/."
    ),
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found, or not visible to you.",
}
ACTION_ERROR_STATUSES = {
    "409": "The object's state does not allow this now (for example a proposal not in review).",
}


def schema_error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Document the error answers every operation can give, in the one error shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "detail": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "detail"],
        },
    )
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = dict(ERROR_STATUSES)
            if method in {"post", "put", "patch", "delete"}:
                statuses.update(ACTION_ERROR_STATUSES)
            responses = operation.setdefault("responses", {})
            for code, description in statuses.items():
                responses.setdefault(code, {"description": description, "content": error})
    return result


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    max_page = 100_000

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        limits = {"page": self.max_page, "page_size": self.max_page_size}
        for name, limit in limits.items():
            raw = request.query_params.get(name)
            if raw is not None and not (raw.isdigit() and 1 <= int(raw) <= limit):
                raise ValidationError({name: [f"Give a whole number from 1 to {limit}."]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        limits = {"page": self.max_page, "page_size": self.max_page_size}
        for parameter in parameters:
            parameter["schema"].update(minimum=1, maximum=limits[parameter["name"]])
        return parameters


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The validated query parameters; a 400 naming each bad one otherwise."""
    # Why: a plain dict, not the QueryDict, so that "?day=" is an invalid day rather than no day.
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
