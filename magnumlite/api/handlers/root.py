"""The version documents: GET / and GET /v1, as Magnum serves them."""

from magnumlite.api import microversion
from magnumlite.api import response

# Collections listed in the v1 document, as in Magnum's. Each resource is
# linked as soon as its routes are in routes.ROUTES.
V1_RESOURCES = ('clustertemplates', 'clusters', 'baymodels', 'bays',
                'quotas', 'stats', 'mservices')


def _link(rel, href, **extra):
    return dict(href=href, rel=rel, **extra)


def list_versions(req):
    return response.json_response({
        'name': 'OpenStack Magnum API',
        'description': ('Magnum is an OpenStack project which aims to '
                        'provide container cluster management.'),
        'versions': [{
            'id': 'v1',
            'links': [_link('self', '%s/v1/' % req.application_url)],
            'status': 'CURRENT',
            'max_version': microversion.max_version_string(),
            'min_version': microversion.min_version_string(),
        }],
    })


def show_v1(req):
    v1 = {
        'id': 'v1',
        'links': [
            _link('self', '%s/v1/' % req.application_url),
            _link('describedby', 'https://docs.openstack.org/magnum/latest/',
                  type='text/html'),
        ],
        'media_types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.magnum.v1+json',
        }],
    }
    for resource in V1_RESOURCES:
        v1[resource] = [
            _link('self', '%s/v1/%s/' % (req.application_url, resource)),
            _link('bookmark', '%s/%s/' % (req.application_url, resource)),
        ]
    return response.json_response(v1)
