#!/usr/bin/env python3
"""How fast Docker servers on Neutron ports get connected.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_network.py [--runs 3]

Each run boots two servers on network ``private`` in zone ``docker`` at
once, polling every 0.2 s, and prints:

* boot: create request to both ACTIVE (the driver waits for Neutron's
  network-vif-plugged event before the server goes ACTIVE);
* first ping: create request to the first ping between them that passes;
* plug to ACTIVE: from os-vif's "Successfully plugged vif" line in
  nova-compute's log to Neutron's "OVN reports status up for port" line in
  neutron-api's log, per port (same clock, millisecond stamps).

Then it deletes both servers. It prints medians and asserts nothing.
"""

import argparse
import datetime
import os
import re
import statistics
import time
import uuid

import docker

import benchlib

TIMEOUT = 300
IMAGE = 'busybox'
FLAVOR = 'm1.tiny'
NETWORK = 'private'
LABEL = 'magnumlite.instance_uuid'
LOGS = os.path.join(benchlib.ALLINONE_HOME, 'logs')
STAMP = r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})'


def log_time(log, pattern):
    """Timestamp of the last line of LOGS/log matching pattern, or None."""
    found = None
    with open(os.path.join(LOGS, log), errors='replace') as f:
        for line in f:
            if re.search(pattern, line):
                m = re.match(STAMP, line)
                if m:
                    found = datetime.datetime.strptime(
                        m.group(1), '%Y-%m-%d %H:%M:%S.%f')
    return found


def one_run(conn, engine, image, flavor, network):
    start = time.monotonic()
    servers = [conn.compute.create_server(
        name='bench-net-%s' % uuid.uuid4().hex[:6], image_id=image.id,
        flavor_id=flavor.id, networks=[{'uuid': network.id}],
        availability_zone='docker') for _ in range(2)]
    try:
        def active():
            got = [conn.compute.get_server(s.id) for s in servers]
            if any(s.status == 'ERROR' for s in got):
                raise SystemExit('boot failed: %s' % got)
            return all(s.status == 'ACTIVE' for s in got) and got
        benchlib.poll(active, 'servers ACTIVE', TIMEOUT)
        booted = time.monotonic() - start
        ports = [next(conn.network.ports(device_id=s.id)) for s in servers]
        container = engine.containers.list(
            filters={'label': '%s=%s' % (LABEL, servers[0].id)})[0]
        target = ports[1].fixed_ips[0]['ip_address']

        def pings():
            code, _ = container.exec_run(
                ['ping', '-c', '1', '-W', '1', target])
            return code == 0
        benchlib.poll(pings, 'first ping', TIMEOUT)
        pinged = time.monotonic() - start
        plug_to_active = []
        for port in ports:
            plugged = log_time('nova-compute-docker.log',
                               'Successfully plugged vif .*id=%s' % port.id)
            up = log_time('neutron-api.log',
                          'OVN reports status up for port: %s' % port.id)
            if plugged and up:
                plug_to_active.append((up - plugged).total_seconds())
        return booted, pinged, plug_to_active
    finally:
        for s in servers:
            conn.compute.delete_server(s.id, ignore_missing=True)
        for s in servers:
            conn.compute.wait_for_delete(s, wait=TIMEOUT)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()
    conn = benchlib.connect()
    engine = docker.from_env(version='auto')
    image = conn.image.find_image(IMAGE)
    flavor = conn.compute.find_flavor(FLAVOR)
    network = conn.network.find_network(NETWORK)
    boots, pings, plugs = [], [], []
    for i in range(args.runs):
        booted, pinged, plug_to_active = one_run(conn, engine, image,
                                                 flavor, network)
        boots.append(booted)
        pings.append(pinged)
        plugs.extend(plug_to_active)
        print('run %d: boot %.2f s, first ping %.2f s, plug to ACTIVE %s'
              % (i + 1, booted, pinged,
                 ', '.join('%.3f s' % p for p in plug_to_active)))
    print('median of %d runs (2 servers each): boot %.2f s, first ping '
          '%.2f s, plug to port ACTIVE %.3f s'
          % (args.runs, statistics.median(boots), statistics.median(pings),
             statistics.median(plugs) if plugs else float('nan')))


if __name__ == '__main__':
    main()
