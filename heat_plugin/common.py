"""What the container resources share: the options (conf.py) registered,
the Docker client, the lifecycle (create, delete, suspend, resume, check)
of one container.

The connection to the engine, its errors and its TLS are
magnumlite.common.docker_engine's, shared with nova_driver; here is which
engine (the resource's docker_endpoint, or the configured one) and with
which ``[magnumlite_containers]`` options.

heat-engine loads this module from ``plugin_dirs`` too; it maps no resource
type. ``docker`` is optional: without it the resource modules map nothing.
"""

import datetime
import time

from oslo_config import cfg
from oslo_log import log as logging

from heat.common import exception
from heat.engine import attributes
from heat.engine import properties
from heat.engine import resource

from heat_plugin import conf as plugin_conf

try:
    from magnumlite.common import docker_engine
except ImportError:     # heat-engine must still start without docker
    docker_engine = None

LOG = logging.getLogger(__name__)

DOCKER_INSTALLED = docker_engine is not None

LABEL_STACK = 'magnumlite.heat.stack_id'
LABEL_RESOURCE = 'magnumlite.heat.resource'

GROUP = plugin_conf.GROUP
plugin_conf.register_opts(cfg.CONF)


def conf():
    return cfg.CONF[GROUP]


def refuse_unless(option, what):
    """Raise a validation error unless the operator enabled `option`."""
    if not conf()[option]:
        raise exception.StackValidationFailed(
            message='%s refused: the operator enables it with '
                    '[%s] %s = True in heat.conf' % (what, GROUP, option))


def endpoint(url=None):
    """The Docker endpoint to use, ``url`` or the configured one, checked.

    Raises StackValidationFailed for one docker_engine would refuse: not
    unix:// or tcp://, or TCP without the TLS files of heat.conf.
    """
    url = url or conf().docker_endpoint
    try:
        docker_engine.check_endpoint(url, **docker_engine.tls_files(conf()))
    except docker_engine.EndpointError as exc:
        where = ' in [%s] of heat.conf' % GROUP if exc.missing else ''
        raise exception.StackValidationFailed(
            message='docker_endpoint %s%s' % (exc, where))
    return url


def docker_client(url=None):
    """The low-level docker.APIClient of the engine at ``endpoint(url)``."""
    return docker_engine.connect(endpoint(url), conf().api_timeout,
                                 **docker_engine.tls_files(conf())).api


def started_at(state):
    """When Docker last started the container, in seconds since the epoch.

    Docker gives UTC with nanoseconds ('2026-01-02T03:04:05.123456789Z').
    """
    whole, _dot, fraction = state['StartedAt'].rstrip('Z').partition('.')
    start = datetime.datetime.strptime(whole, '%Y-%m-%dT%H:%M:%S').replace(
        tzinfo=datetime.timezone.utc)
    return start.timestamp() + float('0.' + (fraction or '0'))


def last_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ''


def first_line(text):
    lines = text.splitlines()
    return lines[0] if lines else ''


class ContainerResource(resource.Resource):
    """The lifecycle of one Docker container, shared by both types.

    Both types have the properties SHARED_PROPERTIES and the attributes
    SHARED_ATTRIBUTES, with the same meaning; each type's schemas start
    from ``shared_properties_schema()`` and ``shared_attributes_schema``.
    Subclasses say what to create (``create_container(client)`` returns
    the container id) and resolve their other attributes
    (``attribute_from_info``, and ``attribute_from_logs`` for those in
    LOG_ATTRIBUTES).
    """

    SHARED_PROPERTIES = (
        DOCKER_ENDPOINT, IMAGE, NAME, HOSTNAME, PRIVILEGED,
    ) = (
        'docker_endpoint', 'image', 'name', 'hostname', 'privileged',
    )

    SHARED_ATTRIBUTES = (
        INFO, LOGS_TAIL,
    ) = (
        'info', 'logs_tail',
    )

    # the attributes read from the container's logs, not from inspect
    LOG_ATTRIBUTES = (LOGS_TAIL,)

    @classmethod
    def shared_properties_schema(cls, name_update_allowed=False,
                                 hostname_default=None):
        """The schema of SHARED_PROPERTIES, for a type's properties_schema.

        Where the types differ: whether a new name updates the container
        in place, and the hostname's default.
        """
        return {
            cls.DOCKER_ENDPOINT: properties.Schema(
                properties.Schema.STRING,
                'Docker engine endpoint, unix:///path/to/docker.sock or '
                'tcp://host:port (over TLS, with the certificates in '
                '[magnumlite_containers] of heat.conf; default: '
                '[magnumlite_containers] docker_endpoint).'),
            cls.IMAGE: properties.Schema(
                properties.Schema.STRING, 'Image name.', required=True),
            cls.NAME: properties.Schema(
                properties.Schema.STRING, 'Name of the container.',
                update_allowed=name_update_allowed),
            cls.HOSTNAME: properties.Schema(
                properties.Schema.STRING, 'Hostname of the container.',
                default=hostname_default),
            cls.PRIVILEGED: properties.Schema(
                properties.Schema.BOOLEAN,
                'Extended privileges (needs [magnumlite_containers] '
                'allow_privileged).', default=False),
        }

    shared_attributes_schema = {
        INFO: attributes.Schema('Container info (docker inspect).',
                                type=attributes.Schema.MAP),
        LOGS_TAIL: attributes.Schema('Last line of the logs.',
                                     type=attributes.Schema.STRING),
    }

    def docker_endpoint(self):
        return self.properties[self.DOCKER_ENDPOINT]

    def validate(self):
        super().validate()
        endpoint(self.docker_endpoint())
        if self.properties[self.PRIVILEGED]:
            refuse_unless('allow_privileged', 'privileged container')

    def client(self):
        if not hasattr(self, '_docker_client'):
            self._docker_client = docker_client(self.docker_endpoint())
        return self._docker_client

    def labels(self):
        return {LABEL_STACK: self.stack.id or '',
                LABEL_RESOURCE: self.physical_resource_name()}

    def inspect(self, container_id=None):
        """The container's inspect dict, or None if it is gone."""
        return docker_engine.or_none(self.client().inspect_container,
                                     container_id or self.resource_id)

    def logs(self, container_id=None):
        """The container's logs (stdout and stderr); '' if it is gone."""
        raw = docker_engine.or_none(self.client().logs,
                                    container_id or self.resource_id,
                                    stdout=True, stderr=True)
        return '' if raw is None else raw.decode('utf-8', 'replace')

    # create ---------------------------------------------------------------
    def handle_create(self):
        client = self.client()
        container_id = self.create_container(client)
        # set before start, so a failed start is still deleted
        self.resource_id_set(container_id)
        client.start(container_id)
        return {'id': container_id}

    def check_create_complete(self, token):
        info = self.inspect(token['id'])
        if info is None:
            raise exception.Error('container %s was removed while it '
                                  'started' % token['id'])
        state = info['State']
        status = state.get('Status')
        code = state.get('ExitCode')
        # a restart policy turns an exit into 'restarting': judge that exit
        # now, or a crash loop would keep the create in progress forever
        if status in ('exited', 'dead', 'restarting'):
            if status != 'dead' and code == 0:
                return True      # a run-to-completion container is done
            tail = self.logs(token['id'])[-2000:].strip()
            restarts = info.get('RestartCount') or 0
            # exception.Error, not ResourceInError: Heat retries the
            # latter, and the same command would only fail again
            raise exception.Error(
                'container exited with code %s%s%s; log tail: %s'
                % (code, ' (%s)' % state['Error'] if state.get('Error')
                   else '',
                   ' after %d restart(s)' % restarts if restarts else '',
                   tail))
        if status == 'running':
            # since its last (re)start: a crash-looping container is
            # running only briefly each time
            running_for = time.time() - started_at(state)
            return running_for >= conf().startup_settle_time
        return False     # created: keep polling

    # delete ---------------------------------------------------------------
    def handle_delete(self):
        if not self.resource_id:
            return None
        try:
            self.client().remove_container(self.resource_id, force=True,
                                           v=True)
        except docker_engine.NotFound:
            return None     # already gone: nothing to do
        except docker_engine.APIError as exc:
            if exc.status_code == 409:
                return self.resource_id   # removal already in progress
            raise
        return self.resource_id

    def check_delete_complete(self, container_id):
        if not container_id:
            return True
        return self.inspect(container_id) is None

    # suspend / resume -----------------------------------------------------
    def handle_suspend(self):
        if not self.resource_id:
            return None
        self.client().pause(self.resource_id)
        return self.resource_id

    def check_suspend_complete(self, container_id):
        if not container_id:
            return True
        info = self.inspect(container_id)
        return bool(info and info['State'].get('Paused'))

    def handle_resume(self):
        if not self.resource_id:
            return None
        self.client().unpause(self.resource_id)
        return self.resource_id

    def check_resume_complete(self, container_id):
        if not container_id:
            return True
        info = self.inspect(container_id)
        return bool(info and not info['State'].get('Paused'))

    # check ----------------------------------------------------------------
    def handle_check(self):
        info = self.inspect()
        if info is None:
            raise exception.Error('container %s does not exist'
                                  % self.resource_id)
        state = info['State']
        if state.get('Status') == 'exited' and state.get('ExitCode') == 0:
            return      # finished its job
        if state.get('Status') != 'running' or state.get('Paused'):
            raise exception.Error('container %s is %s'
                                  % (self.resource_id, state.get('Status')))

    # attributes -----------------------------------------------------------
    def _resolve_attribute(self, name):
        if not self.resource_id:
            return None
        if name in self.LOG_ATTRIBUTES:
            return self.attribute_from_logs(name, self.logs())
        info = self.inspect()
        if info is None:
            return None
        if name == self.INFO:
            return info
        return self.attribute_from_info(name, info)

    def attribute_from_logs(self, name, logs):
        """Attribute ``name`` (one of LOG_ATTRIBUTES) of the logs."""
        if name == self.LOGS_TAIL:
            return last_line(logs)
        return None

    def attribute_from_info(self, name, info):
        """Attribute ``name`` of the container's inspect dict."""
        return None

    def network_info(self, info):
        net = dict(info.get('NetworkSettings') or {})
        tcp, udp = [], []
        for port, bindings in (net.get('Ports') or {}).items():
            proto = port.partition('/')[2]
            if not bindings or not bindings[0].get('HostPort'):
                continue        # exposed but not published
            (udp if proto == 'udp' else tcp).append(bindings[0]['HostPort'])
        net['TcpPorts'] = ','.join(sorted(tcp))
        net['UdpPorts'] = ','.join(sorted(udp))
        return net
