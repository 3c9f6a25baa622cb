"""JSON-Patch (RFC 6902) request bodies applied as Magnum applies them."""

import ast

import jsonpatch

from magnumlite.api import validation
from magnumlite.common import exception

# A PATCH body: a list of operations on attributes, or within them
# (magnumclient adds and removes single labels as /labels/<key>).
SCHEMA = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'op': {'enum': ['add', 'replace', 'remove']},
            'path': {'type': 'string', 'pattern': '^/[^/]+(/.+)?$'},
            'value': {},
        },
        'required': ['op', 'path'],
        'additionalProperties': False,
    },
}

# magnumclient sends these dicts as the str() of a Python dict.
_PYTHON_LITERAL_ATTRIBUTES = ('labels', 'health_status_reason')


def _coerce(value, attribute, schema):
    if isinstance(value, str) and attribute in _PYTHON_LITERAL_ATTRIBUTES:
        try:
            return ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError,
                RecursionError):
            # Not a literal, or one nested too deep for the parser.
            return value  # for the schema to refuse naming the field
    return validation.coerce(schema, attribute, value)


def operations(req):
    """The request's JSON-Patch, checked before the resource is looked up.

    As in Magnum, a body that is not a JSON-Patch is a 400 even for a
    resource that does not exist.
    """
    return validation.validated_body(req, SCHEMA)


def apply(operations, document, schema, patchable, defaults=None,
          refusal="'/%s' is an internal attribute and can not be updated"):
    """{attribute: value} of the patchable attributes after the patch.

    operations come from operations(req); document holds the resource's
    current attributes (null when unset). Only those in patchable may be
    touched, and "remove" restores an attribute's default (from defaults,
    else None). The result must match schema, the schema of the
    resource's create request. Touching another attribute is refused with
    refusal % attribute.
    """
    for operation in operations:
        attribute, _, within = operation['path'][1:].partition('/')
        if attribute not in patchable:
            raise exception.InvalidParameterValue(err=refusal % attribute)
        if within:
            continue  # a part of attribute: its value is not coerced
        if operation['op'] == 'add' and document.get(attribute) is not None:
            raise exception.InvalidParameterValue(
                err="The attribute %s has existed, please use 'replace' "
                    "operation instead." % operation['path'])
        if 'value' in operation:
            operation['value'] = _coerce(operation['value'], attribute,
                                         schema)
        elif operation['op'] != 'remove':
            raise exception.InvalidParameterValue(
                err="'value' is mandatory for '%s' of %s"
                    % (operation['op'], operation['path']))
    try:
        patched = jsonpatch.apply_patch(document, operations)
    except (jsonpatch.JsonPatchException,
            jsonpatch.JsonPointerException) as exc:
        raise exception.InvalidParameterValue(
            err="Couldn't apply patch. Reason: %s" % exc)
    changes = {attribute: patched.get(attribute,
                                      (defaults or {}).get(attribute))
               for attribute in patchable}
    # Validated as a request would be, where an unset attribute is absent.
    validation.validate(schema, {attribute: value
                                 for attribute, value in changes.items()
                                 if value is not None})
    return changes
