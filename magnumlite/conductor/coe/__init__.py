"""What a cluster's COE adds to its servers: one module per kind of COE.

The sync pass (conductor/clusters.py) makes Nova match the node rows; once
every server is ACTIVE, the cluster's COE says whether the cluster is what
its users came for (a swarm with every node Ready) and what its api_address
is. A COE module offers:

  user_data(cluster, template, node, tls) -> the node's boot script
      (tls: the node's server KeyPair and the CA's PEM, or None);
  converge(cluster, template, nodes, authorities) -> Outcome, once every
      server is ACTIVE: bootstrap or extend the COE, or say what it
      waits for;
  may_delete(cluster, template, node, nodes, authorities) -> whether a
      node a resize removes may lose its server now (after a drain);
  health(cluster, template, nodes, authorities) -> (health_status,
      reason) of a cluster at rest;
  rotate_ca(cluster, template, nodes, authorities) -> Outcome of handing
      the nodes certificates of the CA a rotation moves to.

authorities are certificates.authorities() of a TLS cluster ([] otherwise):
what the conductor reaches the nodes' engines with.
nodes are base.NodeFacts of the nodes that stay (not DELETING), masters
first; an Outcome is a base.Outcome.
"""

from magnumlite.conductor.coe import nodes_only
from magnumlite.conductor.coe import swarm_mode

# Magnum's old swarm (standalone, before swarm mode) has no engine left
# that runs it; its templates get the swarm mode clients use the same way.
_MODULES = {'swarm-mode': swarm_mode, 'swarm': swarm_mode}


def for_coe(coe):
    """The module for a template's coe; nodes_only for the others."""
    return _MODULES.get(coe, nodes_only)


def uses_tls(template):
    """Whether a template's clusters have a CA: their COE API is TLS.

    Only the COEs magnumlite runs have an API; their templates cannot
    disable TLS (the API refuses it).
    """
    return for_coe(template.coe).TLS and not template.tls_disabled
