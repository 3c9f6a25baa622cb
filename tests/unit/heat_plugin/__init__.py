"""Unit tests of heat_plugin on Heat's own test base.

These run in the same process as magnumlite's and nova_driver's unit tests,
which Heat's test base was not written for:

- ``heat.tests.common`` selects oslo.service's threading backend when
  imported; another module may already have selected (or will select) the
  eventlet backend, and a second selection raises. Heat's engine code these
  tests drive (resources, scheduler) does not use oslo.service.
- Heat registers options (``host``, ...) that another project already
  registered in the global ``cfg.CONF`` with other help text; oslo.config
  then raises DuplicateOptError. The first registration is kept.

So Heat's test base is imported with both relaxed, for that import only.
"""

from oslo_config import cfg as _cfg
from oslo_service import backend as _backend

_init_backend = _backend.init_backend
_register_opt = _cfg.ConfigOpts.register_opt


def _register_opt_keep_first(self, opt, *args, **kwargs):
    try:
        return _register_opt(self, opt, *args, **kwargs)
    except _cfg.DuplicateOptError:
        return False


_backend.init_backend = lambda type_: None
_cfg.ConfigOpts.register_opt = _register_opt_keep_first
try:
    from heat.tests import common  # noqa: F401
finally:
    _backend.init_backend = _init_backend
    _cfg.ConfigOpts.register_opt = _register_opt
