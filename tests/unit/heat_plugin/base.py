"""Heat's own test base, with the real Docker engine for containers.

``heat.tests.common`` is imported before any heat.engine module: it sets
up the configuration and the global environment the engine expects.
"""

from heat.tests import common  # noqa: I100 (must come first)

import os
import sys
import uuid

import docker
from oslo_config import cfg

from heat.engine import resource
from heat.engine import resources
from heat.engine import scheduler
from heat.tests import utils

from heat_plugin import bay
from heat_plugin import common as plugin_common
from heat_plugin import container
from heat_plugin import docker_container

IMAGE = 'magnumlite/busybox:latest'
TEST_LABEL = 'magnumlite.test'

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


class DockerHeatTestCase(PluginTestCase):
    """... with the real Docker engine; removes what its stacks leave."""

    def setUp(self):
        super().setUp()
        self.docker = docker.APIClient(version='auto')
        self.run_id = uuid.uuid4().hex[:12]
        self.stack_ids = []
        self.addCleanup(self._remove_containers)

    def _remove_containers(self):
        labels = ['%s=%s' % (TEST_LABEL, self.run_id)]
        labels += ['%s=%s' % (plugin_common.LABEL_STACK, stack_id)
                   for stack_id in self.stack_ids]
        for label in labels:
            for c in self.docker.containers(all=True,
                                            filters={'label': label}):
                self.docker.remove_container(c['Id'], force=True)

    def stack(self, template, **kwargs):
        stack = super().stack(template, **kwargs)
        stack.store()
        self.stack_ids.append(stack.id)
        return stack

    def create(self, stack, name):
        """Create one resource through Heat's scheduler."""
        rsrc = stack[name]
        scheduler.TaskRunner(rsrc.create)()
        return rsrc

    def state(self, container_id):
        try:
            return self.docker.inspect_container(container_id)['State']
        except docker.errors.NotFound:
            return None

    def set_option(self, name, value):
        cfg.CONF.set_override(name, value, group=plugin_common.GROUP)
