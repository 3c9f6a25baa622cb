"""Exceptions raised by magnumlite code, each carrying its HTTP status.

The API turns any MagnumliteException into an error response with
``code`` as status and the formatted message as detail, so a new error
condition only needs a subclass here. Messages are Magnum's, word for
word, where Magnum has one: clients and tests may match on them.
"""


class MagnumliteException(Exception):
    message = 'An unknown exception occurred.'
    code = 500

    def __init__(self, message=None, **kwargs):
        # message replaces the class's wording for a one-off condition of
        # the same kind (e.g. a Conflict that says what conflicts).
        # A message without arguments is taken as it is: so the RPC layer
        # can rebuild an exception a conductor raised from its text.
        super().__init__(message % kwargs if message and kwargs
                         else message or self.message % kwargs)


class Invalid(MagnumliteException):
    message = 'Unacceptable parameters.'
    code = 400


class InvalidParameterValue(Invalid):
    message = '%(err)s'


class ReferenceNotFound(Invalid):
    # Magnum's sentence (reason) for a template or cluster attribute that
    # names nothing the request's user can see, after the field's name.
    message = 'Invalid input for field/attribute %(field)s. %(reason)s'


class UnsupportedMediaType(Invalid):
    message = 'Unknown mimetype: %(mimetype)s'
    code = 415


class ClusterTemplateReferenced(Invalid):
    message = ('ClusterTemplate %(clustertemplate)s is referenced by one or '
               'multiple clusters.')


class NotAuthorized(MagnumliteException):
    message = 'Not authorized.'
    code = 403


class PolicyNotAuthorized(NotAuthorized):
    message = "Policy doesn't allow %(action)s to be performed."


class ResourceLimitExceeded(NotAuthorized):
    message = 'Resource Limit Exceeded: %(msg)s'


class NotFound(MagnumliteException):
    message = 'Resource could not be found.'
    code = 404


class ClusterNotFound(NotFound):
    message = 'Cluster %(cluster)s could not be found.'


class ClusterTemplateNotFound(NotFound):
    message = 'ClusterTemplate %(clustertemplate)s could not be found.'


class ClusterNodeNotFound(NotFound):
    message = 'Node %(node)s could not be found.'


class QuotaNotFound(NotFound):
    message = 'Quota could not be found: %(msg)s'


class ProjectNotFound(NotFound):
    message = 'The %(name)s %(id)s could not be found.'


class Conflict(MagnumliteException):
    message = 'Conflict.'
    code = 409


class ClusterAlreadyExists(Conflict):
    message = 'A cluster with UUID %(uuid)s already exists.'


class ClusterTemplateAlreadyExists(Conflict):
    message = 'A ClusterTemplate with UUID %(uuid)s already exists.'


class ClusterNodeAlreadyExists(Conflict):
    message = 'A node with UUID %(uuid)s already exists.'


class QuotaAlreadyExists(Conflict):
    message = ('Quota for project %(project_id)s already exists for '
               'resource %(resource)s.')


class ClusterTemplatePublishDenied(NotAuthorized):
    message = ('Not authorized to set public or hidden flag for cluster '
               'template.')


class ClusterOperationInProgress(Conflict):
    # Magnum's wording, though Magnum answers 400: it is a conflict with
    # the operation under way, which a retry after it ends resolves.
    message = ('Updating a cluster when status is "%(status)s" is not '
               'supported.')


class NodeGroupNotFound(NotFound):
    message = 'Nodegroup %(nodegroup)s could not be found.'


class NotSupported(Invalid):
    # Magnum's wording and status for what a deployment does not offer.
    message = '%(operation)s is not supported.'


class CredentialRotationFailed(Invalid):
    message = ('Could not rotate the credential of cluster %(cluster)s: '
               '%(reason)s')


class ServiceUnavailable(MagnumliteException):
    # Nothing the client did wrong: a service the request must be checked
    # against did not answer.
    message = 'Could not check %(what)s: %(reason)s'
    code = 503


class ConductorUnavailable(MagnumliteException):
    # Nothing the client did wrong: no conductor (of this release) answered.
    message = 'No conductor could %(action)s: %(reason)s'
    code = 503


class InvalidCsr(Invalid):
    # Magnum's words, without echoing the CSR back.
    message = 'Received invalid csr.'


class CertificatesUnavailable(MagnumliteException):
    # The deployment's fault, not the client's: the conductor cannot use
    # cluster CAs (no [x509] encryption_keys, or not the right ones).
    message = 'Cluster certificates are unavailable: %(reason)s'
    code = 503


class Refused(Exception):
    """An OpenStack service refused what a cluster needs: its 4xx.

    A quota, a network that does not exist, a policy it does not know. Not
    an API error: the conductor fails the cluster with it at once, since
    waiting will not help.
    """
