"""Collections: paging query parameters and the "next" link, as Magnum's.

A page holds at most ?limit items (capped by [api] max_limit); ?marker is
the last item of the previous page; ?sort_key and ?sort_dir order it.
When a page is full, the collection has a "next" link to the following
one, which magnumclient follows to list everything.
"""

from urllib import parse

from magnumlite.api.schemas import common
from magnumlite.common import exception
from magnumlite.conf import CONF


def _int(req, name):
    value = req.GET.get(name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    # Nothing above what an Integer column holds reaches the database.
    if number is None or abs(number) > common.INTEGER_MAX:
        raise exception.InvalidParameterValue(
            err='Invalid input for query parameter %s. Value: %s. Must be an '
                'integer of at most %d.' % (name, value[:100],
                                            common.INTEGER_MAX))
    return number


def paging(req, marker_is_int=False):
    """{limit, marker, sort_key, sort_dir} from the query string."""
    limit = _int(req, 'limit')
    if limit is not None and limit <= 0:
        raise exception.InvalidParameterValue(err='Limit must be positive')
    return {
        'limit': min(limit or CONF.api.max_limit, CONF.api.max_limit),
        'marker': (_int(req, 'marker') if marker_is_int
                   else req.GET.get('marker')),
        'sort_key': req.GET.get('sort_key', 'id'),
        'sort_dir': req.GET.get('sort_dir', 'asc'),
    }


def filters(req, names):
    """{name: [values]} of the filter parameters given, for db filters."""
    return {name: req.GET.getall(name) for name in names
            if req.GET.getall(name)}


def collection(req, key, items, rows, page, path,
               marker_attribute='uuid', query=None):
    """{key: items} and, if the page is full, its "next" link.

    rows are the db rows items were made of; path is the collection's
    path under /v1 ("clusters/detail"); query holds the other parameters
    the next page must repeat.
    """
    body = {key: items}
    limit = page['limit']
    if rows and len(rows) == limit:
        args = dict(query or {})
        args.update(sort_key=page['sort_key'], sort_dir=page['sort_dir'],
                    limit=limit,
                    marker=getattr(rows[-1], marker_attribute))
        body['next'] = '%s/v1/%s?%s' % (req.application_url, path,
                                        parse.urlencode(args, doseq=True))
    return body
