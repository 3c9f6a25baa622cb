"""Tests that need the all-in-one with two Docker compute hosts.

``tools/run-tests multihost`` brings the second host up first
(``MAGNUMLITE_DOCKER_HOSTS=2 tools/allinone up``), after the other tiers,
which count on one Docker host.
"""
