#!/usr/bin/env python3
"""What a swarm node costs: its image, its boot, its memory.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_swarm_node.py [--runs 3] [--build]

Prints:

* image: the size of the node image in the host's engine (the Docker
  driver's vfs storage copies all of it for every node);
* build (with --build only): the wall time of tools/build-node-image from
  nothing, the engine's copy removed first (mmdebstrap downloads the
  packages from the Debian mirror, so this depends on it);
* boot, per run: one server from image swarm-node with flavor m1.swarm on
  network private, from the create request to ACTIVE and to its nested
  engine answering (`docker info` on the node's socket, through its
  process's root);
* memory, per run: the node's memory cgroup (what its flavor's RAM limit
  bounds) at rest with its engine up, then with N busybox containers
  (pulled from the registry mirror given in node.env by the user_data)
  running `sleep`: usage (page cache included, as the limit counts it) and
  RSS.

It deletes what it booted, prints medians and asserts nothing.
"""

import argparse
import base64
import os
import statistics
import subprocess
import time
import uuid

import docker

import benchlib

TIMEOUT = 300
IMAGE = 'swarm-node'
FLAVOR = 'm1.swarm'
NETWORK = 'private'
LABEL = 'magnumlite.instance_uuid'
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(REPO, 'tools', 'build-node-image')
USER_DATA = """#!/bin/sh
mkdir -p /etc/magnumlite
echo REGISTRY_MIRROR=http://172.24.4.1:4000 > /etc/magnumlite/node.env
"""
MiB = 1024 * 1024


def image_figures(engine, build):
    name = subprocess.run([BUILD, '--name'], capture_output=True, text=True,
                          check=True).stdout.strip()
    if build:
        try:
            engine.images.remove(name)
        except docker.errors.ImageNotFound:
            pass
        start = time.monotonic()
        subprocess.run([BUILD], capture_output=True, check=True)
        print('build: %.1f s (tools/build-node-image, from nothing)'
              % (time.monotonic() - start))
    size = engine.images.get(name).attrs['Size']
    print('image: %s, %.0f MiB (%.0f MB)' % (name, size / MiB, size / 1e6))


def node_memory(container_id):
    """(usage, rss) of the node's memory cgroup, in MiB."""
    base = '/sys/fs/cgroup/memory/docker/%s/' % container_id
    with open(base + 'memory.usage_in_bytes') as f:
        usage = int(f.read())
    with open(base + 'memory.stat') as f:
        stat = dict(line.split() for line in f)
    return usage / MiB, int(stat['total_rss']) / MiB


def boot_one(conn, engine, server_args, containers):
    start = time.monotonic()
    server = conn.compute.create_server(
        name='bench-node-%s' % uuid.uuid4().hex[:8], **server_args)
    try:
        conn.compute.wait_for_server(server, wait=TIMEOUT, interval=0.2)
        active = time.monotonic() - start
        container = engine.containers.list(
            filters={'label': '%s=%s' % (LABEL, server.id)})[0]
        pid = container.attrs['State']['Pid']
        nested = docker.DockerClient(
            base_url='unix:///proc/%d/root/run/docker.sock' % pid,
            version='auto')

        def answers():
            try:
                return nested.info()
            except docker.errors.DockerException:
                return None
        benchlib.poll(answers, 'the nested engine', TIMEOUT)
        engine_up = time.monotonic() - start
        time.sleep(2)       # past the engine's start-up
        rest = node_memory(container.id)
        nested.images.pull('busybox', tag='latest')
        for _ in range(containers):
            nested.containers.run('busybox', ['sleep', '600'], detach=True)
        time.sleep(2)
        busy = node_memory(container.id)
        nested.close()
        return active, engine_up, rest, busy
    finally:
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=TIMEOUT)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--containers', type=int, default=3,
                        help='busybox containers per node for the memory '
                             'figure')
    parser.add_argument('--build', action='store_true',
                        help='also time a build of the image from nothing')
    args = parser.parse_args()
    engine = docker.from_env(version='auto')
    conn = benchlib.connect()
    image_figures(engine, args.build)
    server_args = {
        'image_id': conn.image.find_image(IMAGE).id,
        'flavor_id': conn.compute.find_flavor(FLAVOR).id,
        'networks': [{'uuid': conn.network.find_network(NETWORK).id}],
        'availability_zone': 'docker',
        'user_data': base64.b64encode(USER_DATA.encode()).decode()}
    runs = []
    for run in range(args.runs):
        active, up, rest, busy = boot_one(conn, engine, server_args,
                                          args.containers)
        runs.append((active, up, rest, busy))
        print('run %d: ACTIVE %.1f s, nested engine up %.1f s; memory at '
              'rest %.0f MiB (RSS %.0f), with %d busybox %.0f MiB (RSS %.0f)'
              % (run + 1, active, up, rest[0], rest[1], args.containers,
                 busy[0], busy[1]))
    if not runs:
        return
    median = statistics.median
    print('median: ACTIVE %.1f s, nested engine up %.1f s; memory at rest '
          '%.0f MiB, with %d busybox %.0f MiB'
          % (median(r[0] for r in runs), median(r[1] for r in runs),
             median(r[2][0] for r in runs), args.containers,
             median(r[3][0] for r in runs)))


if __name__ == '__main__':
    main()
