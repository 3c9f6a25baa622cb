"""Functional tests of heat_plugin, on Heat's test base and real Docker.

magnumlite's options (and, through oslo.messaging, oslo.service's backend)
come first, then Heat's test base, imported the way tests.unit.heat_plugin
does it (keeping the first of two registrations of one option name), as in
the unit tier, where magnumlite's tests are found first. Found the other
way round, Heat's registration of ``host`` made magnumlite's raise
DuplicateOptError, and magnumlite's functional tests did not load.
"""

import magnumlite.common.rpc  # noqa: F401
import tests.unit.heat_plugin  # noqa: F401,I100
