"""Heat's test base with the real Docker engine for containers.

The unit tier's base registers the plugin's resource types (and imports
``heat.tests.common`` before any heat.engine module, as Heat requires).
"""

from tests.unit.heat_plugin import base  # noqa: I100 (must come first)

import uuid

import docker
from oslo_config import cfg

from heat.engine import scheduler

from heat_plugin import common as plugin_common

IMAGE = 'magnumlite/busybox:latest'
TEST_LABEL = 'magnumlite.test'


class DockerHeatTestCase(base.PluginTestCase):
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
