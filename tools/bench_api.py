#!/usr/bin/env python3
"""API latency (p50/p99) of cluster list, detail list and show.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_api.py [--clusters 1000]

It writes --clusters clusters (CREATE_COMPLETE, one master and one worker
node row each, with addresses) for the current project straight into
magnumlite's database: the API reads the same rows whether a conductor or
this script wrote them, and 1000 real bays would measure Nova instead.
Then it times each request --requests times through the keystone session
(so auth_token validates one cached token, as for any client), prints the
figures and removes the rows it wrote, and the resident memory of the
API's processes (uWSGI master and workers, from the all-in-one's pid file)
before and after. Each figure is printed beside its target. It asserts
nothing.

With --in-process it needs no cloud: the same requests go straight to the
API's WSGI pipeline (noauth instead of auth_token, as admin of project
"bench") in this process, over a SQLite file (--database, seeded the first
time, kept for the next run; a temporary one by default). It prints the
same table, wall and CPU time, and this process's RSS; --profile writes
cProfile stats of the timed requests, --tracemalloc N the N allocation
sites that grew most from after the warm-up to after them (a leak shows
there), --save-bodies DIR writes each answer (to compare bodies byte for
byte across a change):

    python tools/bench_api.py --in-process --database /tmp/bench.sqlite \\
        [--profile api.prof] [--tracemalloc 15] [--save-bodies DIR]
"""

import argparse
import cProfile
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid

# The checkout's magnumlite, as for every benchmark (see benchlib).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
from magnumlite.common import context as ml_context  # noqa: E402
from magnumlite.common import service  # noqa: E402
from magnumlite.conf import CONF  # noqa: E402
from magnumlite.db import api as db_api  # noqa: E402

HEADERS = {'OpenStack-API-Version': 'container-infra latest'}
# (percentile, ms) targets per request; the API's RSS target in MiB
TARGETS = {'list': (0.99, 50), 'detail list': (0.99, 80), 'show': (0.5, 10)}
RSS_TARGET_MIB = 150


def api_rss_mib(pid_file):
    """RSS of the API's uWSGI master and its workers, in MiB (or None)."""
    try:
        with open(pid_file) as f:
            master = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    pids = [master]
    for task in os.listdir('/proc/%d/task' % master):
        with open('/proc/%d/task/%s/children' % (master, task)) as f:
            pids += [int(pid) for pid in f.read().split()]
    return sum(rss_mib(pid) for pid in pids)


def seed(project_id, count):
    """count clusters of one template in project_id; their uuids."""
    admin = ml_context.get_admin_context()
    template = db_api.cluster_template_create(admin, {
        'name': 'bench-api-%s' % uuid.uuid4().hex[:6], 'coe': 'kubernetes',
        'image_id': 'busybox', 'flavor_id': 'm1.tiny',
        'project_id': project_id})
    uuids = []
    for i in range(count):
        cluster = db_api.cluster_create(admin, {
            'name': 'bench-api-%04d' % i, 'project_id': project_id,
            'user_id': 'bench', 'cluster_template_id': template.uuid,
            'status': 'CREATE_COMPLETE', 'master_count': 1, 'node_count': 1})
        for role, name, address in (('master', 'master-0', '10.0.0.%d'),
                                    ('worker', 'node-0', '10.1.0.%d')):
            db_api.node_create(admin, cluster.uuid, {
                'role': role, 'name': '%s-%s' % (cluster.name, name),
                'status': 'ACTIVE', 'addresses': [address % (i % 250)]})
        uuids.append(cluster.uuid)
    return template.uuid, uuids


def rss_mib(pid='self'):
    """The resident memory of process pid (default: this one), in MiB."""
    with open('/proc/%s/status' % pid) as f:
        return next(int(line.split()[1]) for line in f
                    if line.startswith('VmRSS:')) / 1024


def unseed(template_uuid, uuids):
    admin = ml_context.get_admin_context()
    for cluster_uuid in uuids:
        db_api.cluster_destroy(admin, cluster_uuid)
    db_api.cluster_template_destroy(admin, template_uuid)


def timed(session, url, requests):
    """Seconds each of `requests` GETs of url took; checks each is 200."""
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        resp = session.get(url, headers=HEADERS, raise_exc=False)
        times.append(time.perf_counter() - start)
        if resp.status_code != 200:
            raise SystemExit('%s answered %d: %s' % (
                url, resp.status_code, resp.text[:300]))
    return times


def percentile(times, fraction):
    return statistics.quantiles(times, n=100, method='inclusive')[
        int(fraction * 100) - 1]


def report(label, times, items, cpu_times=None):
    fraction, target_ms = TARGETS[label]
    met = percentile(times, fraction) * 1000 < target_ms
    print('%-12s %8d %9.1f %9.1f %10s  %d' % (
        label, len(times), percentile(times, 0.5) * 1000,
        percentile(times, 0.99) * 1000, '%s p%d<%d' % (
            'ok' if met else 'MISSED', fraction * 100, target_ms),
        items), end='')
    if cpu_times:
        print('  cpu p50 %.1f p99 %.1f' % (
            percentile(cpu_times, 0.5) * 1000,
            percentile(cpu_times, 0.99) * 1000), end='')
    print()


def cases(uuids, clusters):
    limit = '?limit=%d' % clusters
    return [('list', '/clusters' + limit),
            ('detail list', '/clusters/detail' + limit),
            ('show', '/clusters/' + uuids[len(uuids) // 2])]


def in_process(args):
    """The requests through the API's WSGI pipeline, in this process."""
    # Imported here: the remote mode needs neither.
    from oslo_policy import opts as policy_opts
    import webob

    from magnumlite.api import app

    service.prepare_service([], default_config_files=[])
    # As DevStack and the all-in-one configure oslo.policy.
    policy_opts.set_defaults(CONF, enforce_scope=True,
                             enforce_new_defaults=True)
    database = args.database
    if database is None:
        database = os.path.join(tempfile.mkdtemp(), 'bench_api.sqlite')
    CONF.set_override('connection', 'sqlite:///' + database,
                      group='database')
    CONF.set_override('auth_strategy', 'noauth', group='api')
    CONF.set_override('api_paste_config', os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        'etc', 'magnumlite', 'api-paste.ini'), group='api')
    if not os.path.exists(database):
        from magnumlite.db import migration
        migration.upgrade('head')
        seed('bench', args.clusters)
    admin = ml_context.get_admin_context()
    uuids = [row.uuid for row in db_api.cluster_list(
        admin, {'project_id': 'bench'}, limit=args.clusters)]
    application = app.load_app()
    headers = dict(HEADERS, **{'X-Project-Id': 'bench',
                               'X-User-Id': 'bench'})

    def get(path):
        resp = webob.Request.blank('/v1' + path, headers=headers).get_response(
            application)
        if resp.status_int != 200:
            raise SystemExit('%s answered %d: %s' % (
                path, resp.status_int, resp.body[:300]))
        return resp.body

    # A first request of each kind warms up (connections, caches).
    bodies = {label: get(path) for label, path in cases(uuids, args.clusters)}
    if args.save_bodies:
        os.makedirs(args.save_bodies, exist_ok=True)
        for label, body in bodies.items():
            with open(os.path.join(args.save_bodies,
                                   label.replace(' ', '_') + '.json'),
                      'wb') as f:
                f.write(body)
    if args.tracemalloc:
        tracemalloc.start(10)
        warm = tracemalloc.take_snapshot()
    profile = cProfile.Profile() if args.profile else None
    rss_before = rss_mib()
    print('%-12s %8s %9s %9s %10s  %s' % (
        'request', 'requests', 'p50 ms', 'p99 ms', 'target', 'items'))
    for label, path in cases(uuids, args.clusters):
        times, cpu_times = [], []
        for _ in range(args.requests):
            if profile:
                profile.enable()
            start, cpu_start = time.perf_counter(), time.process_time()
            get(path)
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
            if profile:
                profile.disable()
        report(label, times,
               len(json.loads(bodies[label]).get('clusters', [label])),
               cpu_times)
    print('process RSS: %.0f MiB before the timed requests, %.0f MiB after'
          % (rss_before, rss_mib()))
    if profile:
        profile.dump_stats(args.profile)
    if args.tracemalloc:
        held = tracemalloc.take_snapshot()
        held_bytes = sum(stat.size for stat in held.statistics('filename'))
        print('allocated during the timed requests and still held: %.1f '
              'MiB; the sites that grew most:' % (held_bytes / 2 ** 20))
        for stat in held.compare_to(warm, 'lineno')[:args.tracemalloc]:
            print('  %s' % stat)
    if args.database is None:
        os.remove(database)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--clusters', type=int, default=1000)
    parser.add_argument('--requests', type=int, default=50)
    parser.add_argument('--in-process', action='store_true')
    parser.add_argument('--database', help='--in-process: SQLite file')
    parser.add_argument('--profile', help='--in-process: cProfile output')
    parser.add_argument('--tracemalloc', type=int, metavar='N')
    parser.add_argument('--save-bodies', metavar='DIR')
    parser.add_argument('--config-file', default=os.path.join(
        os.environ.get('MAGNUMLITE_ALLINONE_HOME', '.allinone'),
        'etc', 'magnumlite', 'magnumlite.conf'))
    parser.add_argument('--api-pid-file', default=os.path.join(
        os.environ.get('MAGNUMLITE_ALLINONE_HOME', '.allinone'),
        'run', 'magnumlite-api.pid'))
    args = parser.parse_args()
    if args.in_process:
        return in_process(args)

    # Only here: it imports the cloud's client library, which the process
    # measured --in-process must not hold.
    import benchlib

    service.prepare_service(['--config-file', args.config_file])
    conn = benchlib.connect()
    endpoint = conn.endpoint_for('container-infra').rstrip('/')
    start = time.monotonic()
    template_uuid, uuids = seed(conn.current_project_id, args.clusters)
    print('wrote %d clusters in %.1f s' % (len(uuids),
                                           time.monotonic() - start))
    try:
        rss_before = api_rss_mib(args.api_pid_file)
        print('%-12s %8s %9s %9s %10s  %s' % (
            'request', 'requests', 'p50 ms', 'p99 ms', 'target', 'items'))
        for label, path in cases(uuids, args.clusters):
            url = endpoint + path
            body = conn.session.get(url, headers=HEADERS).json()
            items = len(body['clusters']) if 'clusters' in body else 1
            report(label, timed(conn.session, url, args.requests), items)
        rss_after = api_rss_mib(args.api_pid_file)
        if rss_after is not None:
            print('API RSS: %.0f MiB before, %.0f MiB after (target < %d '
                  'MiB: %s)' % (rss_before, rss_after, RSS_TARGET_MIB,
                                'ok' if rss_after < RSS_TARGET_MIB
                                else 'MISSED'))
    finally:
        unseed(template_uuid, uuids)


if __name__ == '__main__':
    main()
