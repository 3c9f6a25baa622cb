#!/usr/bin/env python3
"""How long Heat stacks of heat_plugin's resource types take to create
and delete.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_heat.py [--runs 3] [--workers 1]

For each resource type it creates a one-resource stack (a bay model and a
bay of 1 master and --workers workers on the fake Nova host, zone fake, for
the bay) through the Heat API, times it until CREATE_COMPLETE, then deletes
it and times it until Heat no longer finds it. Stacks are polled every
0.2 s, so figures are rounded up to that. It prints the median and the
slowest of --runs runs per type and asserts nothing.
"""

import argparse
import statistics
import time
import uuid

import benchlib
from heat_plugin import examples

TIMEOUT = 600
IMAGE = 'magnumlite/busybox:latest'

# Heat's old contrib/docker example, as users wrote it
OLD_STYLE = examples.read('old_style_docker_container.yaml')


def modern_container():
    return {'heat_template_version': '2018-08-31',
            'resources': {'c': {'type': 'OS::Magnumlite::Container',
                                'properties': {'image': IMAGE,
                                               'memory': 64}}}}


def bay(workers):
    return {
        'heat_template_version': '2018-08-31',
        'resources': {
            'model': {'type': 'OS::Magnumlite::BayModel', 'properties': {
                'coe': 'kubernetes', 'image': 'busybox', 'flavor': 'm1.tiny',
                'master_flavor': 'm1.tiny', 'external_network': 'public',
                'labels': {'availability_zone': 'fake'}}},
            'bay': {'type': 'OS::Magnumlite::Bay', 'properties': {
                'baymodel': {'get_resource': 'model'},
                'node_count': workers, 'create_timeout': 10}}}}


def time_stack(heat, template, parameters):
    """(create seconds, delete seconds) of one stack."""
    name = 'bench-heat-%s' % uuid.uuid4().hex[:8]
    start = time.monotonic()
    stack = heat.create_stack(name=name, template=template,
                              parameters=parameters)

    def created():
        current = heat.get_stack(stack, resolve_outputs=False)
        if current.status == 'CREATE_FAILED':
            heat.delete_stack(stack)
            raise SystemExit('%s: CREATE_FAILED: %s'
                             % (name, current.status_reason))
        return current.status == 'CREATE_COMPLETE'
    benchlib.poll(created, 'stack %s to be created' % name, TIMEOUT)
    create = time.monotonic() - start

    start = time.monotonic()
    heat.delete_stack(stack)

    def deleted():
        current = heat.find_stack(stack.id, ignore_missing=True)
        if current is None or current.status == 'DELETE_COMPLETE':
            return True
        if current.status == 'DELETE_FAILED':
            raise SystemExit('%s: DELETE_FAILED: %s'
                             % (name, current.status_reason))
        return False
    benchlib.poll(deleted, 'stack %s to be deleted' % name, TIMEOUT)
    return create, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--workers', type=int, default=1,
                        help='worker nodes of the bay')
    args = parser.parse_args()
    heat = benchlib.connect().orchestration
    cases = (
        ('OS::Magnumlite::Container', modern_container(), {}),
        ('DockerInc::Docker::Container', OLD_STYLE,
         {'image': IMAGE, 'endpoint': 'unix:///var/run/docker.sock'}),
        ('OS::Magnumlite::Bay (1+%d)' % args.workers, bay(args.workers),
         {}),
    )
    print('%-34s %17s %17s' % ('stack of', 'create med/max s',
                               'delete med/max s'))
    for label, template, parameters in cases:
        times = [time_stack(heat, template, parameters)
                 for _ in range(args.runs)]
        creates, deletes = zip(*times)
        print('%-34s %8.1f /%6.1f %8.1f /%6.1f' % (
            label, statistics.median(creates), max(creates),
            statistics.median(deletes), max(deletes)))


if __name__ == '__main__':
    main()
