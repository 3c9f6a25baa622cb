#!/usr/bin/env python3
"""How long a bay takes to create, next to Nova booting the same servers.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_bays.py [--workers 1 5 10] \
        [--zone fake]

For each size N it creates a bay of 1 master and N workers through the
magnumlite API and times it until it leaves CREATE_IN_PROGRESS; then boots
N+1 servers with the same image and flavor straight through Nova, all
requests at once, and times them until every one is ACTIVE. Both are
polled every 0.2 s and cleaned up afterwards. It prints figures and
asserts nothing: what is measured is the conductor's overhead (trust,
security group, ports, waking on Nova's notifications, bookkeeping) on top
of Nova's own boot time, as the ratio bay/nova (target <= 1.2). Both go to
--zone: ``fake`` (Nova's fake driver, whose boots cost nothing) by default,
``docker`` for containers; both plug one port per server into --network
(the bay's template names it as its fixed network, without floating IPs,
so the two do the same Neutron work).
"""

import argparse
import time
import uuid

import benchlib

TIMEOUT = benchlib.TIMEOUT


def time_bay(api, template, workers):
    uuid_ = api.create_bay('bench-%s' % uuid.uuid4().hex[:6], template,
                           workers)
    start = time.monotonic()

    def settled():
        bay = api.bay(uuid_)
        return None if bay['status'].endswith('IN_PROGRESS') else bay

    try:
        bay = benchlib.poll(settled, 'the bay', TIMEOUT)
        return time.monotonic() - start, bay['status'], bay['status_reason']
    finally:
        api.delete_bay(uuid_)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--workers', type=int, nargs='+', default=[1, 5, 10])
    benchlib.add_server_arguments(parser)
    args = parser.parse_args()

    conn = benchlib.connect()
    api = benchlib.Magnumlite(conn)
    image = conn.image.find_image(args.image, ignore_missing=False)
    flavor = conn.compute.find_flavor(args.flavor, ignore_missing=False)
    network = conn.network.find_network(args.network, ignore_missing=False)
    template = api.create_template('bench-%s' % uuid.uuid4().hex[:6],
                                   args.image, args.flavor, args.zone,
                                   fixed_network=args.network,
                                   floating_ip_enabled=False)
    print('%-8s %-8s %10s %10s %9s %8s  %s' % (
        'workers', 'servers', 'bay s', 'nova s', 'overhead', 'bay/nova',
        'bay status'))
    try:
        for workers in args.workers:
            bay_s, status, reason = time_bay(api, template, workers)
            nova_s, errors = benchlib.time_nova(
                conn, image, flavor, network, workers + 1, zone=args.zone)
            note = status if status == 'CREATE_COMPLETE' else '%s: %s' % (
                status, reason)
            if errors:
                note += ' (Nova alone: %d of %d servers ERROR)' % (
                    errors, workers + 1)
            print('%-8d %-8d %10.1f %10.1f %9.1f %8.2f  %s' % (
                workers, workers + 1, bay_s, nova_s, bay_s - nova_s,
                bay_s / nova_s, note))
    finally:
        api.delete_template(template)


if __name__ == '__main__':
    main()
