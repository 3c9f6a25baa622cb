"""Request bodies: parsed as JSON and checked against a JSON schema.

The schemas live in magnumlite/api/schemas/<resource>.py. A body that
does not match is refused with 400, and the detail names the field.
"""

import jsonschema
from oslo_serialization import jsonutils
from oslo_utils import strutils

from magnumlite.common import exception


def json_body(req):
    try:
        return jsonutils.loads(req.body)
    except ValueError:
        raise exception.InvalidParameterValue(
            err='Malformed JSON in request body.')


def _detail(error):
    if error.validator == 'additionalProperties':
        known = error.schema.get('properties', {})
        unknown = sorted(key for key in error.instance if key not in known)
        return 'Unknown attribute(s): %s.' % ', '.join(unknown)
    if error.validator == 'required':
        return 'Mandatory field missing: %s.' % error.message.split("'")[1]
    field = '/'.join(str(part) for part in error.absolute_path)
    reason = error.message
    # Of a nullable attribute's alternatives, the one that is not null
    # says what was wrong.
    for alternative in error.context or ():
        if alternative.schema.get('type') != 'null':
            reason = alternative.message
            break
    return 'Invalid input for field/attribute %s. Value: %s. %s.' % (
        field or 'body', jsonutils.dumps(error.instance), reason)


def validate(schema, document):
    """Raise 400 unless document matches schema; the first error wins."""
    validator = jsonschema.Draft7Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        raise exception.InvalidParameterValue(err=_detail(error))
    return document


def _types(schema, attribute):
    declared = schema.get('properties', {}).get(attribute, {})
    return [declared.get('type')] + [
        alternative.get('type') for alternative in declared.get('anyOf', [])]


def coerce(schema, attribute, value):
    """value as the type schema gives attribute, if it is such a string.

    Magnum (WSME) converts "5" and "True" for integer and boolean
    attributes; clients rely on it: magnum-ui sends every value as a
    string, magnumclient's update sends what does not parse as JSON so.
    """
    if not isinstance(value, str):
        return value
    types = _types(schema, attribute)
    try:
        if 'integer' in types:
            return int(value)
        if 'boolean' in types:
            return strutils.bool_from_string(value, strict=True)
    except ValueError:
        pass  # left as it is, for the schema to refuse naming the field
    return value


def validated_body(req, schema):
    """The request's JSON body, with strings coerced, matching schema."""
    body = json_body(req)
    if isinstance(body, dict) and 'properties' in schema:
        body = {attribute: coerce(schema, attribute, value)
                for attribute, value in body.items()}
    return validate(schema, body)
