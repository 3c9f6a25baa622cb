"""Request bodies: parsed as JSON and checked against a JSON schema.

The schemas live in magnumlite/api/schemas/<resource>.py (those of
Magnum's old bays and baymodels in handlers/legacy.py). A body that
does not match is refused with 400, and the detail names the field. What
no schema can describe is refused before the body is parsed: a body that
is not JSON (415), JSON nested deeper than any request needs, and the
non-finite numbers (NaN, Infinity) Python's parser would otherwise take.
(Its size is limited before it is read: [oslo_middleware]
max_request_body_size, 413.)
"""

import json
import math
import re

import jsonschema
from oslo_serialization import jsonutils
from oslo_utils import strutils

from magnumlite.common import exception

# No request body nests deeper than a JSON-Patch of labels (3); the
# parser recurses once per level, so a deep body must never reach it.
MAX_DEPTH = 10

# Those WSME (Magnum) reads as JSON.
JSON_TYPES = ('application/json', 'text/javascript', 'application/javascript')

# Strings (skipped whole, escapes included) and the brackets that nest.
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _depth(text):
    depth = deepest = 0
    for token in _NESTING.finditer(text):
        bracket = token.group()
        if bracket in '[{':
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in ']}':
            depth -= 1
    return deepest


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise ValueError('%s is not a finite number' % text)
    return number


def _non_finite(name):
    raise ValueError('%s is not a number JSON allows' % name)


def json_body(req):
    if req.content_type not in JSON_TYPES:
        # WSME's (Magnum's) answer for a body it cannot read.
        raise exception.UnsupportedMediaType(mimetype=req.content_type)
    try:
        text = req.body.decode('utf-8')
        if _depth(text) > MAX_DEPTH:
            raise exception.InvalidParameterValue(
                err='The request body is nested deeper than %d levels.'
                    % MAX_DEPTH)
        return json.loads(text, parse_float=_finite,
                          parse_constant=_non_finite)
    except ValueError:
        # Not UTF-8, not JSON, a number that is not finite or an integer
        # of more digits than Python converts.
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
    reason = error
    # Of a nullable attribute's alternatives, the one that is not null
    # says what was wrong.
    for alternative in error.context or ():
        if alternative.schema.get('type') != 'null':
            reason = alternative
            break
    # jsonschema's reason quotes the value whole: a long one, cut short.
    quoted = repr(reason.instance)
    reason = reason.message if len(quoted) <= 100 else \
        reason.message.replace(quoted, _shown(reason.instance))
    return 'Invalid input for field/attribute %s. Value: %s. %s.' % (
        field or 'body', _shown(error.instance), reason)


def _shown(value, limit=100):
    """value as JSON for an error detail, cut short if long."""
    text = jsonutils.dumps(value)
    return text if len(text) <= limit else text[:limit] + '...'


def _is_integer(checker, instance):
    # JSON Schema counts 645.0 as an integer; a database column does not.
    return isinstance(instance, int) and not isinstance(instance, bool)


def _is_number(checker, instance):
    # Python's float('inf') is a number to JSON Schema, not to JSON (a
    # label given as a Python literal, "{'a': 1e999}", may hold one).
    if isinstance(instance, float):
        return math.isfinite(instance)
    return _is_integer(checker, instance)


def _pattern(validator, pattern, instance, schema):
    # A schema's pattern is ECMA-262's, where "$" ends the string; Python's
    # "$" also matches before a final newline ("p\n" would pass).
    if pattern.endswith('$'):
        pattern = pattern[:-1] + r'\Z'
    if validator.is_type(instance, 'string') and not re.search(pattern,
                                                               instance):
        yield jsonschema.ValidationError(
            '%r does not match %r' % (instance, schema['pattern']))


_Validator = jsonschema.validators.extend(
    jsonschema.Draft7Validator,
    validators={'pattern': _pattern},
    type_checker=jsonschema.Draft7Validator.TYPE_CHECKER.redefine_many({
        'integer': _is_integer, 'number': _is_number}))


def validate(schema, document):
    """Raise 400 unless document matches schema; the first error wins."""
    error = jsonschema.exceptions.best_match(
        _Validator(schema).iter_errors(document))
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
