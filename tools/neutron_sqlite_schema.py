"""Create Neutron's database schema on SQLite, for the all-in-one.

``neutron-db-manage upgrade heads`` cannot run on SQLite (its migrations
ALTER constraints, which SQLite does not support). So, the way Neutron's own
unit tests do it, the schema is created from the models of the current
release; tools/allinone-neutron then runs ``neutron-db-manage stamp heads``
so that Neutron sees an up-to-date database.

Creating from the models skips the data migrations. A fresh install needs
one of them: c33da356b165 inserts the default security group rule templates.
Without them every new project's default security group has no rules, and
the datapath drops all traffic of its ports. This inserts the same four
templates: egress for IPv4 and IPv6, and ingress from the same group.

    python neutron_sqlite_schema.py sqlite:///path/to/neutron.sqlite
"""

import sys

from neutron.db.migration.models import head
from oslo_utils import uuidutils
import sqlalchemy

# direction, ethertype, remote_group_id, used_in_default_sg,
# used_in_non_default_sg (as in migration c33da356b165)
DEFAULT_SG_RULE_TEMPLATES = [
    ('egress', 'IPv4', None, True, True),
    ('egress', 'IPv6', None, True, True),
    ('ingress', 'IPv4', 'PARENT', True, False),
    ('ingress', 'IPv6', 'PARENT', True, False),
]


def create(url):
    engine = sqlalchemy.create_engine(url)
    metadata = head.get_metadata()
    metadata.create_all(engine)
    standard_attrs = metadata.tables['standardattributes']
    templates = metadata.tables['securitygroupdefaultrules']
    with engine.begin() as conn:
        if conn.execute(sqlalchemy.select(templates.c.id)).first():
            return
        for (direction, ethertype, remote_group, in_default,
             in_custom) in DEFAULT_SG_RULE_TEMPLATES:
            attr_id = conn.execute(standard_attrs.insert().values(
                resource_type='securitygroupdefaultrules', revision_number=0,
                description='Legacy default SG rule for %s traffic'
                            % direction)).inserted_primary_key[0]
            conn.execute(templates.insert().values(
                id=uuidutils.generate_uuid(), standard_attr_id=attr_id,
                direction=direction, ethertype=ethertype,
                remote_group_id=remote_group,
                used_in_default_sg=in_default,
                used_in_non_default_sg=in_custom))


if __name__ == '__main__':
    create(sys.argv[1])
