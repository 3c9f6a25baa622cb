"""Heat resources for containers and magnumlite bays.

heat-engine loads every module in this directory when it is listed in
``plugin_dirs`` (see devstack/lib/magnumlite); each resource module defines
``resource_mapping()``. An ImportError here would stop heat-engine, so
modules must guard optional imports.
"""
