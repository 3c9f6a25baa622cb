"""Tests of nova_driver.

Importing this package first imports nova with its own ConfigOpts: nova
and magnumlite both register options on oslo.config's global ``cfg.CONF``
([api] max_limit clashes), which only matters when one test process
imports both; nova-compute never imports magnumlite.conf.
"""

from oslo_config import cfg

_global_conf = cfg.CONF
cfg.CONF = cfg.ConfigOpts()
try:
    import nova.conf  # noqa: F401
    from nova import objects
    import nova_driver.driver  # noqa: F401  (registers [docker] there)
    objects.register_all()
    # parsed (no files), so nova code reading CONF.config_file works
    nova.conf.CONF([], project='nova', default_config_files=[])
finally:
    cfg.CONF = _global_conf
