"""The facts a COE module is given and the answer it gives."""

import collections

NodeFacts = collections.namedtuple(
    'NodeFacts', 'uuid name role index status fixed_address address')
NodeFacts.__doc__ = """\
A node of the cluster as the sync pass sees it. status: its server's Nova
status (ACTIVE...) or fault; fixed_address: its address on the cluster's
network (what nodes reach each other at), or None; address: what the
conductor and clients reach it at (its floating IP, else fixed_address).
"""

# Where a COE stands: status is COMPLETE, IN_PROGRESS or FAILED (the
# suffixes of a cluster status); reason the status_reason; values cluster
# columns to record (api_address, coe_version...).
Outcome = collections.namedtuple('Outcome', 'status reason values')

COMPLETE, IN_PROGRESS, FAILED = 'COMPLETE', 'IN_PROGRESS', 'FAILED'
HEALTHY, UNHEALTHY, UNKNOWN = 'HEALTHY', 'UNHEALTHY', 'UNKNOWN'
