#!/usr/bin/env python3
"""How soon a floating IP reaches its server, seen from the host.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_floating_ip.py [--runs 5]

It boots one Docker server on network ``private`` (behind router1) with a
security group open to TCP 8080, where the server's busybox nc greets every
client. Each run creates a floating IP on ``public`` and times, from the
association request (Neutron's port update) to the first greeting the host
reads from the floating IP (TCP connects every 0.05 s, each given 0.2 s):
the API call itself, and the first reply. Then it disassociates and
deletes the address. It prints every run and the medians, and asserts
nothing.
"""

import argparse
import socket
import statistics
import time
import uuid

import docker

import benchlib

TIMEOUT = 300
IMAGE = 'busybox'
FLAVOR = 'm1.tiny'
NETWORK = 'private'
PUBLIC = 'public'
PORT = 8080
LABEL = 'magnumlite.instance_uuid'
GREETING = 'bench-floating-ip'
ATTEMPT_EVERY = 0.05


def greeted(address):
    try:
        with socket.create_connection((address, PORT), 0.2) as conn:
            conn.settimeout(0.5)
            return conn.recv(64).decode().strip() == GREETING
    except OSError:
        return False


def first_greeting(address):
    benchlib.poll(lambda: greeted(address), 'a greeting from %s' % address,
                  TIMEOUT, interval=ATTEMPT_EVERY)
    return time.monotonic()


def one_run(conn, port, public):
    fip = conn.network.create_ip(floating_network_id=public.id)
    try:
        start = time.monotonic()
        conn.network.update_ip(fip, port_id=port.id)
        called = time.monotonic()
        replied = first_greeting(fip.floating_ip_address)
        conn.network.update_ip(fip, port_id=None)
        return called - start, replied - start
    finally:
        conn.network.delete_ip(fip)


def open_server(conn, engine):
    """The server, its port and its security group, greeting on PORT."""
    group = conn.network.create_security_group(
        name='bench-fip-%s' % uuid.uuid4().hex[:6])
    conn.network.create_security_group_rule(
        security_group_id=group.id, direction='ingress', ethertype='IPv4',
        protocol='tcp', port_range_min=PORT, port_range_max=PORT)
    server = conn.compute.create_server(
        name='bench-fip-%s' % uuid.uuid4().hex[:6],
        image_id=conn.image.find_image(IMAGE, ignore_missing=False).id,
        flavor_id=conn.compute.find_flavor(FLAVOR, ignore_missing=False).id,
        networks=[{'uuid': conn.network.find_network(NETWORK).id}],
        security_groups=[{'name': group.id}])
    conn.compute.wait_for_server(server, wait=TIMEOUT)
    container, = engine.containers.list(
        filters={'label': '%s=%s' % (LABEL, server.id)})
    container.exec_run(['sh', '-c', 'while :; do echo %s | nc -l -p %d; '
                        'done' % (GREETING, PORT)], detach=True)
    port = next(conn.network.ports(device_id=server.id))
    return server, port, group


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    conn = benchlib.connect()
    engine = docker.from_env(version='auto')
    public = conn.network.find_network(PUBLIC, ignore_missing=False)
    server, port, group = open_server(conn, engine)
    calls, replies = [], []
    try:
        for i in range(args.runs):
            call, reply = one_run(conn, port, public)
            calls.append(call)
            replies.append(reply)
            print('run %d: association call %.2f s, first reply from the '
                  'host %.2f s' % (i + 1, call, reply))
    finally:
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=TIMEOUT)
        conn.network.delete_security_group(group)
    print('median of %d runs: association call %.2f s, association to '
          'first reply from the host %.2f s'
          % (args.runs, statistics.median(calls), statistics.median(replies)))


if __name__ == '__main__':
    main()
