#!/usr/bin/env python3
"""RSS of magnumlite-api and -conductor while huge node counts are refused.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_refusals.py [--requests 1000]

It makes a cluster template and one small bay on Nova's fake driver
(zone fake: no container is started), then sends --requests requests
asking for node counts no bay may have: cluster creates with node_count
7735901969592780800 (which once OOM-killed the conductor at 21 GB),
14016, 110602 or 2^63+1, master_count the same, and updates and resizes
of the bay to such counts. It prints the status codes they got and the
RSS (all processes of each service, as `tools/allinone status` counts
them) before and after, then deletes the bay and the template. It asserts
nothing.
"""

import argparse
import collections
import itertools
import os
import time

import benchlib

HEADERS = {'OpenStack-API-Version': 'container-infra latest'}
HUGE = (7735901969592780800, 14016, 110602, 2 ** 63 + 1)
RUN = os.path.join(benchlib.ALLINONE_HOME, 'run')
SERVICES = ('magnumlite-api', 'magnumlite-conductor')


def rss_mib(service):
    """RSS of every process in the service's process group, in MiB."""
    with open(os.path.join(RUN, service + '.pid')) as pid_file:
        group = int(pid_file.read())
    kib = 0
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            if os.getpgid(int(pid)) != group:
                continue
            with open('/proc/%s/smaps_rollup' % pid) as rollup:
                kib += next(int(line.split()[1]) for line in rollup
                            if line.startswith('Rss:'))
        except (OSError, StopIteration):
            continue  # gone meanwhile
    return kib / 1024


def requests_with_huge_counts(template, cluster):
    """(method, path, body) forever, cycling through the kinds."""
    for count in itertools.cycle(HUGE):
        yield 'POST', '/clusters', {'cluster_template_id': template,
                                    'node_count': count}
        yield 'POST', '/clusters', {'cluster_template_id': template,
                                    'master_count': count}
        yield 'PATCH', '/clusters/' + cluster, [
            {'op': 'replace', 'path': '/node_count', 'value': count}]
        yield 'POST', '/clusters/%s/actions/resize' % cluster, {
            'node_count': count}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--requests', type=int, default=1000)
    args = parser.parse_args()

    conn = benchlib.connect()
    api = conn.session
    endpoint = api.get_endpoint(service_type='container-infra',
                                interface='public')

    def call(method, path, body=None):
        return api.request(endpoint + path, method, json=body,
                           headers=HEADERS, raise_exc=False)

    name = 'bench-refusals-%d' % os.getpid()
    template = call('POST', '/clustertemplates', {
        'name': name, 'coe': 'kubernetes', 'image_id': 'busybox',
        'flavor_id': 'm1.tiny', 'external_network_id': 'public'}).json()
    cluster = call('POST', '/clusters', {
        'name': name, 'cluster_template_id': template['uuid'],
        'node_count': 1, 'labels': {'availability_zone': 'fake'}}).json()
    try:
        benchlib.poll(lambda: call('GET', '/clusters/' + cluster['uuid'])
                      .json()['status'] == 'CREATE_COMPLETE',
                      'bay %s to be created' % name, 300)
        time.sleep(5)  # a health pass or two, the conductor at rest
        before = {service: rss_mib(service) for service in SERVICES}
        statuses = collections.Counter()
        start = time.monotonic()
        for method, path, body in itertools.islice(
                requests_with_huge_counts(template['uuid'], cluster['uuid']),
                args.requests):
            statuses[call(method, path, body).status_code] += 1
        elapsed = time.monotonic() - start
        time.sleep(5)  # whatever was cast would be worked on by now
        after = {service: rss_mib(service) for service in SERVICES}
    finally:
        call('DELETE', '/clusters/' + cluster['uuid'])
        benchlib.poll(lambda: call('GET', '/clusters/' + cluster['uuid'])
                      .status_code == 404, 'bay %s to go' % name, 300)
        call('DELETE', '/clustertemplates/' + template['uuid'])

    print('%d requests with huge counts in %.1f s: %s' % (
        args.requests, elapsed, ', '.join(
            '%d x %d' % (count, status)
            for status, count in sorted(statuses.items()))))
    print('%-22s %10s %10s %10s' % ('RSS (MiB)', 'before', 'after',
                                    'change'))
    for service in SERVICES:
        print('%-22s %10.1f %10.1f %+10.1f' % (
            service, before[service], after[service],
            after[service] - before[service]))


if __name__ == '__main__':
    main()
