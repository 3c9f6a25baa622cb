"""/v1/mservices: the magnumlite services and whether they are alive.

Each is shown under the binary name of the Magnum service it stands in
for: Magnum's clients and checks look for "magnum-conductor".
"""

from magnumlite.api import response
from magnumlite.common import servicegroup
from magnumlite.db import api as db_api


# magnumlite's binary -> Magnum's.
MAGNUM_BINARIES = {'magnumlite-conductor': 'magnum-conductor'}


def _mservice(mservice):
    return {
        'id': mservice.id,
        'host': mservice.host,
        'binary': MAGNUM_BINARIES.get(mservice.binary, mservice.binary),
        'state': 'up' if servicegroup.service_is_up(mservice) else 'down',
        'report_count': mservice.report_count,
        'disabled': mservice.disabled,
        'disabled_reason': mservice.disabled_reason,
        'created_at': response.isotime(mservice.created_at),
        'updated_at': response.isotime(mservice.updated_at),
    }


def list_mservices(req):
    req.context.can('magnum-service:get_all')
    mservices = db_api.mservice_list(req.context)
    return response.json_response(
        {'mservices': [_mservice(m) for m in mservices]})
