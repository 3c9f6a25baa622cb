"""Exceptions raised by magnumlite code, each carrying its HTTP status.

The API turns any MagnumliteException into an error response with
``code`` as status and the formatted message as detail, so a new error
condition only needs a subclass here.
"""


class MagnumliteException(Exception):
    message = 'An unknown exception occurred.'
    code = 500

    def __init__(self, **kwargs):
        super().__init__(self.message % kwargs)


class PolicyNotAuthorized(MagnumliteException):
    # Magnum's wording, which clients and tests may match on.
    message = "Policy doesn't allow %(action)s to be performed."
    code = 403
