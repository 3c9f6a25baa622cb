"""The user_data a cluster's servers boot with, rendered per COE.

Templates are shell scripts in magnumlite/templates/user_data/<coe>.sh
(string.Template syntax); a COE without one gets generic.sh. Every value
that comes from the user is shell-quoted before it goes in.
"""

import importlib.resources
import shlex
import string

_TEMPLATES = importlib.resources.files('magnumlite').joinpath(
    'templates', 'user_data')
GENERIC = 'generic'


def template_for(coe):
    """The string.Template for coe, or the generic one."""
    path = _TEMPLATES / ('%s.sh' % coe)
    if not path.is_file():
        path = _TEMPLATES / ('%s.sh' % GENERIC)
    return string.Template(path.read_text())


def environment(cluster, coe, role, node_name):
    """CLUSTER_*=value lines: the cluster's facts every node is told."""
    facts = {
        'CLUSTER_UUID': cluster['uuid'],
        'CLUSTER_NAME': cluster['name'],
        'NODE_NAME': node_name,
        'NODE_ROLE': role,
        'MASTER_COUNT': cluster['master_count'],
        'NODE_COUNT': cluster['node_count'],
    }
    for key, value in sorted((cluster['labels'] or {}).items()):
        facts['LABEL_' + ''.join(c if c.isalnum() else '_'
                                 for c in key).upper()] = value
    return '\n'.join('%s=%s' % (key, shlex.quote(str(value)))
                     for key, value in facts.items())


def render(cluster, coe, role, index, node_name, **extra):
    """The user_data of node node_name (role, index) of cluster.

    extra: more substitutions a COE's template uses, put in as they are
    (the caller quotes what needs quoting).
    """
    return template_for(coe).substitute(
        coe=shlex.quote(coe),
        role=role,
        index=index,
        node_name=shlex.quote(node_name),
        environment=environment(cluster, coe, role, node_name),
        **extra)
