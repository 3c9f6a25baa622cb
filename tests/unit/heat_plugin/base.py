"""Heat's own test base with the plugin's resource types registered.

``heat.tests.common`` is imported before any heat.engine module: it sets
up the configuration and the global environment the engine expects.
"""

from heat.tests import common  # noqa: I100 (must come first)

import os
import sys

from oslo_config import cfg

from heat.engine import resource
from heat.engine import resources
from heat.tests import utils

from heat_plugin import bay
from heat_plugin import container
from heat_plugin import docker_container

# Heat's test base looks for etc/heat/environment.d next to its package;
# pip installs it under the venv's prefix instead.
ENV_DIR = os.path.join(sys.prefix, 'etc', 'heat', 'environment.d')


class PluginTestCase(common.HeatTestCase):
    """Heat's test base with every heat_plugin resource type registered."""

    def setUp(self):
        cfg.CONF.set_default('environment_dir', ENV_DIR)
        resources.global_env()        # load it from ENV_DIR, once
        super().setUp()

    def register_test_resources(self):
        super().register_test_resources()
        for module in (docker_container, container, bay):
            for name, cls in module.resource_mapping().items():
                resource._register_class(name, cls)

    def stack(self, template, **kwargs):
        return utils.parse_stack(template, **kwargs)
