#!/usr/bin/env python3
"""Many bays at once: 50 bays of 1+1 from 5 projects, next to Nova alone.

Run in the all-in-one, after `source .allinone/openrc admin`:

    .allinone/venv/bin/python tools/bench_load.py [--bays 50] \
        [--projects 5] [--workers 1] [--zone fake]

It makes --projects projects, each with a member user (and room in
Neutron's quotas for a security group per bay), and one public template
(--zone, the shared network `private`, no floating IPs). Then every
project's user asks for its share of --bays bays at once, through the API,
and the script polls them every second until none is in progress. Next,
Nova alone boots the same number of servers at once in the same zone and
network. Then every bay is deleted at once, and what they had in Nova
and Neutron is checked to be gone. It prints: how many creates were
accepted and how many answers were 5xx, the time to the last bay settled
and each status, Nova's time for the same servers, the peak RSS of the
magnumlite API and conductor process groups while it ran, the delete time,
and anything leaked. It asserts nothing.
"""

import argparse
import collections
import concurrent.futures
import os
import threading
import time
import uuid

import benchlib
import openstack

HOME = benchlib.ALLINONE_HOME
PASSWORD = 'bench-load-password'


class PeakMemory(threading.Thread):
    """Peak RSS (MiB) of all-in-one services' process groups, sampled."""

    def __init__(self, services, interval=0.5):
        super().__init__(daemon=True)
        self.services = services
        self.interval = interval
        self.peak = dict.fromkeys(services, 0)
        self.done = threading.Event()

    @staticmethod
    def _rss_mib(service):
        try:
            with open(os.path.join(HOME, 'run', service + '.pid')) as f:
                group = int(f.read())
        except (OSError, ValueError):
            return 0
        total = 0
        for pid in os.listdir('/proc'):
            if not pid.isdigit():
                continue
            try:
                with open('/proc/%s/stat' % pid) as f:
                    fields = f.read().rsplit(')', 1)[1].split()
                if int(fields[2]) != group:    # process group id
                    continue
                with open('/proc/%s/status' % pid) as f:
                    for line in f:
                        if line.startswith('VmRSS:'):
                            total += int(line.split()[1])
            except (OSError, ValueError, IndexError):
                continue
        return total / 1024

    def run(self):
        while not self.done.wait(self.interval):
            for service in self.services:
                self.peak[service] = max(self.peak[service],
                                         self._rss_mib(service))


def make_projects(conn, count, tag):
    """[(project, user)] of count new projects, each with a member."""
    member = conn.identity.find_role('member', ignore_missing=False)
    made = []
    for i in range(count):
        project = conn.identity.create_project(
            name='bench-load-%s-%d' % (tag, i), domain_id='default')
        user = conn.identity.create_user(
            name='bench-load-%s-%d' % (tag, i), password=PASSWORD,
            domain_id='default', default_project_id=project.id)
        conn.identity.assign_project_role_to_user(project, user, member)
        # A security group per bay, beside the project's default one.
        conn.network.update_quota(project.id, security_groups=100,
                                  security_group_rules=1000)
        made.append((project, user))
    return made


def user_api(project, user):
    conn = openstack.connect(
        auth_url=os.environ['OS_AUTH_URL'], username=user.name,
        password=PASSWORD, project_id=project.id,
        user_domain_id='default', region_name=os.environ.get(
            'OS_REGION_NAME'), identity_api_version=3)
    return benchlib.Magnumlite(conn)


def create_all(apis, template, bays, workers):
    """Every bay asked for at once: ([(api, uuid)], Counter of codes)."""
    codes = collections.Counter()
    lock = threading.Lock()

    def create(i):
        api = apis[i % len(apis)]
        resp = api._call('POST', '/clusters', json={
            'name': 'load-%d' % i, 'cluster_template_id': template,
            'master_count': 1, 'node_count': workers,
            'create_timeout': 20})
        with lock:
            codes[resp.status_code] += 1
        return (api, resp.json()['uuid']) if resp.status_code == 202 else None

    with concurrent.futures.ThreadPoolExecutor(bays) as pool:
        made = [b for b in pool.map(create, range(bays)) if b]
    return made, codes


def wait_settled(bays, start):
    """{uuid: (status, seconds from start to settled, reason)}."""
    settled = {}

    def all_settled():
        for api, uuid_ in bays:
            if uuid_ in settled:
                continue
            bay = api.bay(uuid_)
            if bay and not bay['status'].endswith('IN_PROGRESS'):
                settled[uuid_] = (bay['status'], time.monotonic() - start,
                                  bay['status_reason'])
        return len(settled) == len(bays)

    benchlib.poll(all_settled, 'every bay to settle', benchlib.TIMEOUT * 2)
    return settled


def delete_all(bays):
    start = time.monotonic()
    for api, uuid_ in bays:
        api._call('DELETE', '/clusters/' + uuid_)
    benchlib.poll(lambda: all(api.bay(u) is None for api, u in bays),
                  'every bay to go', benchlib.TIMEOUT * 2)
    return time.monotonic() - start


def leaked(conn, uuids):
    """What Nova and Neutron still hold of the bays: [description]."""
    left = []
    for server in conn.compute.servers(all_projects=True):
        if server.metadata.get('magnumlite_cluster') in uuids:
            left.append('server %s' % server.name)
    for group in conn.compute.server_groups(all_projects=True):
        # named <bay uuid>-<role>
        if group.name.rsplit('-', 1)[0] in uuids:
            left.append('server group %s' % group.name)
    for uuid_ in uuids:
        tag = 'magnumlite_cluster=' + uuid_
        for kind in ('ports', 'security_groups', 'networks', 'routers'):
            for thing in getattr(conn.network, kind)(tags=tag):
                left.append('%s %s' % (kind[:-1], thing.id))
    return left


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--bays', type=int, default=50)
    parser.add_argument('--projects', type=int, default=5)
    parser.add_argument('--workers', type=int, default=1)
    benchlib.add_server_arguments(parser)
    args = parser.parse_args()

    conn = benchlib.connect()
    admin_api = benchlib.Magnumlite(conn)
    tag = uuid.uuid4().hex[:6]
    projects = make_projects(conn, args.projects, tag)
    template = admin_api.create_template(
        'bench-load-%s' % tag, args.image, args.flavor, args.zone,
        fixed_network=args.network, floating_ip_enabled=False, public=True)
    memory = PeakMemory(('magnumlite-api', 'magnumlite-conductor'))
    memory.start()
    servers = args.bays * (1 + args.workers)
    try:
        apis = [user_api(project, user) for project, user in projects]
        start = time.monotonic()
        bays, codes = create_all(apis, template, args.bays, args.workers)
        asked = time.monotonic() - start
        settled = wait_settled(bays, start)
        statuses = collections.Counter(s for s, _, _ in settled.values())
        last = max(t for _, t, _ in settled.values())
        reasons = collections.Counter(
            r for s, _, r in settled.values() if s != 'CREATE_COMPLETE')
        delete_s = delete_all(bays)
        left = leaked(conn, {u for _, u in bays})
        memory.done.set()
        memory.join()
        nova_s, nova_errors = benchlib.time_nova(
            conn, conn.image.find_image(args.image, ignore_missing=False),
            conn.compute.find_flavor(args.flavor, ignore_missing=False),
            conn.network.find_network(args.network, ignore_missing=False),
            servers, zone=args.zone)
    finally:
        memory.done.set()
        admin_api.delete_template(template)
        for project, user in projects:
            conn.identity.delete_user(user)
            conn.identity.delete_project(project)

    print('%d bays of 1+%d (%d servers) from %d projects, zone %s'
          % (args.bays, args.workers, servers, args.projects, args.zone))
    print('create answers:  %s (all asked in %.1f s); 5xx: %d'
          % (dict(codes), asked, sum(n for c, n in codes.items()
                                     if c >= 500)))
    print('settled:         %s; last after %.1f s'
          % (dict(statuses), last))
    for reason, count in reasons.most_common(3):
        print('  %d x %s' % (count, reason))
    print('nova alone:      %d servers ACTIVE in %.1f s (%d ERROR); '
          'bays/nova %.2f' % (servers, nova_s, nova_errors, last / nova_s))
    print('peak RSS MiB:    api %.0f, conductor %.0f'
          % (memory.peak['magnumlite-api'],
             memory.peak['magnumlite-conductor']))
    print('delete all:      %.1f s; left behind: %s'
          % (delete_s, ', '.join(left) or 'nothing'))


if __name__ == '__main__':
    main()
