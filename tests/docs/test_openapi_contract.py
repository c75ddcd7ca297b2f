"""The generated OpenAPI document as a contract for readers: examples and documentation.

Every component schema carries examples (its own, or one on each of its properties; an
enum's ``enum`` lists its values), and every example is valid: it decodes with its
msgspec field type and validates against the spec's JSON Schema, formats included. Every
operation has an id, tags that the document declares and describes, a summary and a
description.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import types
import typing
from collections.abc import Iterator
from functools import cache
from typing import Any

import msgspec
import pytest

import schemas
from api.http.openapi import generate_spec

# Properties still without examples, each with where they are defined. An entry that gains
# examples fails ``test_pending_examples_are_still_missing``: delete it then.
PENDING_EXAMPLES: dict[str, set[str]] = {}

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@cache
def spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(generate_spec())
    return document


def components() -> dict[str, Any]:
    schemas_: dict[str, Any] = spec()["components"]["schemas"]
    return schemas_


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method.upper(), path, operation


def test_the_document_is_openapi_3_1() -> None:
    assert spec()["openapi"].startswith("3.1.")


def test_every_component_schema_has_examples() -> None:
    """Examples on the component, or on each of its properties.

    An enum needs none of its own: its ``enum`` lists every valid value.
    """
    missing: dict[str, list[str]] = {}
    for name, schema in components().items():
        if schema.get("examples") or schema.get("enum"):
            continue
        properties: dict[str, Any] = schema.get("properties", {})
        pending = PENDING_EXAMPLES.get(name, set())
        bare = [key for key, value in properties.items() if not value.get("examples")]
        if not properties or set(bare) - pending:
            missing[name] = sorted(set(bare) - pending) or ["(no properties, no examples)"]
    assert not missing, (
        "components without examples (annotate the Struct fields with "
        f"`Annotated[T, ex(...)]`, see schemas/examples.py): {missing}"
    )


def test_pending_examples_are_still_missing() -> None:
    for name, keys in PENDING_EXAMPLES.items():
        properties = components()[name]["properties"]
        done = sorted(key for key in keys if properties[key].get("examples"))
        assert not done, f"{name}.{done} now have examples: remove them from PENDING_EXAMPLES"


def _validator(schema: dict[str, Any]) -> Any:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    # References such as #/components/schemas/Span resolve against this root.
    root = {**schema, "components": spec()["components"]}
    return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


def _examples() -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(where, schema, example) for every example in components/schemas."""
    for name, schema in components().items():
        for example in schema.get("examples") or []:
            yield name, {"$ref": f"#/components/schemas/{name}"}, example
        for key, prop in schema.get("properties", {}).items():
            for example in prop.get("examples") or []:
                yield f"{name}.{key}", prop, example


def test_every_example_is_valid_against_the_spec() -> None:
    invalid = []
    count = 0
    for where, schema, example in _examples():
        count += 1
        errors = [error.message for error in _validator(schema).iter_errors(example)]
        if errors:
            invalid.append(f"{where}: {example!r}: {errors}")
    assert count > 100
    assert not invalid, "\n".join(invalid)


def _structs() -> Iterator[type[msgspec.Struct]]:
    """Every Struct defined in the ``schemas`` package."""
    for module_info in pkgutil.iter_modules(schemas.__path__, "schemas."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, msgspec.Struct)
                and value.__module__ == module.__name__
            ):
                yield value


def _field_examples(annotation: Any) -> list[Any]:
    """The examples of ``Annotated[T, ex(...)]``, also as an arm of a union.

    ``Annotated[str, Meta(max_length=..., examples=...)] | None`` is how a nullable field
    with bounds is written: msgspec puts no bounds on a union, and Litestar documents them
    (and the examples) only from the arm.
    """
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [example for arm in typing.get_args(annotation) for example in _field_examples(arm)]
    if typing.get_origin(annotation) is not typing.Annotated:
        return []
    return [
        example
        for meta in typing.get_args(annotation)[1:]
        if isinstance(meta, msgspec.Meta) and meta.examples
        for example in meta.examples
    ]


def test_every_struct_field_example_decodes_with_its_type() -> None:
    """An example is a wire value the API could send: msgspec decodes it as the field."""
    failures = []
    structs = list(_structs())
    assert len(structs) >= 20
    for struct in structs:
        for field in msgspec.structs.fields(struct):
            examples = _field_examples(field.type)
            if not examples:
                failures.append(f"{struct.__name__}.{field.name}: no examples")
            for example in examples:
                try:
                    msgspec.json.decode(msgspec.json.encode(example), type=field.type)
                except msgspec.ValidationError as exc:
                    failures.append(f"{struct.__name__}.{field.name}: {example!r}: {exc}")
    assert not failures, "\n".join(failures)


def test_every_operation_is_documented() -> None:
    declared = {tag["name"]: tag.get("description") for tag in spec().get("tags", [])}
    problems = []
    ids = []
    for method, path, operation in operations():
        where = f"{method} {path}"
        ids.append(operation.get("operationId"))
        if not operation.get("operationId"):
            problems.append(f"{where}: no operationId")
        if not operation.get("tags"):
            problems.append(f"{where}: no tags")
        if not operation.get("summary"):
            problems.append(f"{where}: no summary")
        if not operation.get("description"):
            problems.append(f"{where}: no description")
        for tag in operation.get("tags", []):
            if not declared.get(tag):
                problems.append(f"{where}: tag {tag!r} is not declared with a description")
        for status, response in operation.get("responses", {}).items():
            if not response.get("description"):
                problems.append(f"{where}: response {status} has no description")
    assert ids, "the document has no operations"
    assert len(set(ids)) == len(ids), f"operationIds are not unique: {ids}"
    assert not problems, "\n".join(problems)
