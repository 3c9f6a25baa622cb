#!/usr/bin/env python3
"""How long a swarm-mode bay takes to be a Ready swarm, and to go.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_swarm.py [--workers 2] [--runs 1]

Each run creates a bay of 1 master and --workers workers from the
all-in-one's `swarm-mode` template and polls (every 0.2 s) both the bay
and Nova's view of its servers, so it can print, side by side:

  servers s  from the create request until Nova has every server ACTIVE;
  swarm s    until the bay is CREATE_COMPLETE (the conductor completes a
             swarm bay only when the swarm lists every node Ready);
  after s    swarm s - servers s: what the engines and the swarm add
             (the target: within 10 s of the servers being ACTIVE);
  nova s     Nova booting the same number of servers from the same image
             and flavor directly, on network private, all at once;
  delete s   the bay's delete, until it is gone.

It prints figures and asserts nothing.
"""

import argparse
import time
import uuid

import benchlib

TEMPLATE = 'swarm-mode'


def time_bay(conn, api, template, workers):
    name = 'bench-swarm-%s' % uuid.uuid4().hex[:6]
    start = time.monotonic()
    bay_uuid = api.create_bay(name, template, workers)
    servers_at = None
    try:
        while True:
            bay = api.bay(bay_uuid)
            servers = [s for s in conn.compute.servers(name='^%s-' % name)
                       if s.metadata.get('magnumlite_cluster') == bay_uuid]
            if servers_at is None and len(servers) == workers + 1 and all(
                    s.status == 'ACTIVE' for s in servers):
                servers_at = time.monotonic() - start
            if not bay['status'].endswith('IN_PROGRESS'):
                break
            if time.monotonic() - start > benchlib.TIMEOUT:
                raise SystemExit('timed out waiting for bay %s' % name)
            time.sleep(benchlib.POLL)
        ready_at = time.monotonic() - start
        status, reason = bay['status'], bay['status_reason']
    finally:
        deleting = time.monotonic()
        api.delete_bay(bay_uuid)
        deleted_in = time.monotonic() - deleting
    return servers_at, ready_at, deleted_in, status, reason


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--runs', type=int, default=1)
    args = parser.parse_args()

    conn = benchlib.connect()
    api = benchlib.Magnumlite(conn)
    template = api.template(TEMPLATE)
    image = conn.image.find_image(template['image_id'], ignore_missing=False)
    flavor = conn.compute.find_flavor(template['flavor_id'],
                                      ignore_missing=False)
    network = conn.network.find_network('private', ignore_missing=False)
    print('bay of 1 master + %d workers from template %s (image %s, flavor '
          '%s)' % (args.workers, TEMPLATE, image.name, flavor.name))
    print('%-4s %9s %8s %8s %8s %9s  %s' % (
        'run', 'servers s', 'swarm s', 'after s', 'nova s', 'delete s',
        'bay status'))
    for run in range(1, args.runs + 1):
        servers_s, swarm_s, delete_s, status, reason = time_bay(
            conn, api, template['uuid'], args.workers)
        nova_s, errors = benchlib.time_nova(conn, image, flavor, network,
                                            args.workers + 1)
        note = status if status == 'CREATE_COMPLETE' else '%s: %s' % (
            status, reason)
        if errors:
            note += ' (Nova alone: %d servers ERROR)' % errors
        after = '%8.1f' % (swarm_s - servers_s) if servers_s else '%8s' % '-'
        print('%-4d %9s %8.1f %s %8.1f %9.1f  %s' % (
            run, '%.1f' % servers_s if servers_s else '-', swarm_s, after,
            nova_s, delete_s, note))


if __name__ == '__main__':
    main()
