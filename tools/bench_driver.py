#!/usr/bin/env python3
"""Boot and delete times with the Docker driver, next to Nova's fake driver.

Run in the all-in-one, after `source .allinone/openrc`:

    .allinone/venv/bin/python tools/bench_driver.py [--runs 5]

In the same cloud it times, one server at a time, polling every 0.2 s:
boot (create request to ACTIVE) and delete (request to gone) in zone
``docker`` (magnumlite.DockerDriver) and zone ``fake`` (the fake driver,
which does no work: it shows Nova's own overhead); a Docker-zone boot with
the image not yet in the engine's cache (the cache tag is removed first,
so the driver downloads the tarball from Glance and ``docker load``s it)
against one from cache; and a plain ``docker run`` + remove of the same
image. It prints medians and asserts nothing.
"""

import argparse
import statistics
import time
import uuid

import docker

import benchlib
from nova_driver import image_cache

TIMEOUT = 300
IMAGE = 'busybox'
FLAVOR = 'm1.tiny'
ENGINE_IMAGE = 'magnumlite/busybox:latest'
CACHED = 'docker zone, cached image'
FAKE = 'fake zone, fake driver'
RAW = 'raw docker run (start / remove)'


def boot_and_delete(conn, image, flavor, zone):
    """Return (seconds to ACTIVE, seconds to gone) for one server."""
    start = time.monotonic()
    server = conn.compute.create_server(
        name='bench-%s-%s' % (zone, uuid.uuid4().hex[:6]), image_id=image.id,
        flavor_id=flavor.id, networks='none', availability_zone=zone)

    def active():
        s = conn.compute.get_server(server.id)
        if s.status == 'ERROR':
            raise SystemExit('server %s failed: %s' % (s.id, s.fault))
        return s.status == 'ACTIVE'
    benchlib.poll(active, 'server %s ACTIVE' % server.id, TIMEOUT)
    booted = time.monotonic() - start
    start = time.monotonic()
    conn.compute.delete_server(server.id)
    benchlib.poll(lambda: conn.compute.find_server(server.id) is None,
                  'server %s gone' % server.id, TIMEOUT)
    return booted, time.monotonic() - start


def uncache(engine, image, host):
    """Drop the driver's cache tag for the Glance image; keep the layers."""
    tag = image_cache.cache_tag(host, image.id, image.checksum)
    try:
        engine.images.remove(tag)
    except docker.errors.NotFound:
        pass


def docker_run(engine):
    start = time.monotonic()
    container = engine.containers.run(ENGINE_IMAGE, detach=True,
                                      network_mode='none')
    started = time.monotonic() - start
    start = time.monotonic()
    container.remove(force=True)
    return started, time.monotonic() - start


def median(values):
    return '%6.2f s' % statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--docker-host', default='allinone-docker',
                        help='nova-compute host of zone docker (its image '
                             'cache tags carry the name)')
    args = parser.parse_args()
    conn = benchlib.connect()
    engine = docker.from_env(version='auto')
    image = conn.image.find_image(IMAGE, ignore_missing=False)
    flavor = conn.compute.find_flavor(FLAVOR, ignore_missing=False)

    results = {}

    def record(key, pair):
        results.setdefault(key, ([], []))
        results[key][0].append(pair[0])
        results[key][1].append(pair[1])

    for _ in range(args.runs):
        uncache(engine, image, args.docker_host)
        record('docker zone, first boot (download + load)',
               boot_and_delete(conn, image, flavor, 'docker'))
        record(CACHED,
               boot_and_delete(conn, image, flavor, 'docker'))
        record(FAKE,
               boot_and_delete(conn, image, flavor, 'fake'))
        record(RAW, docker_run(engine))

    print('%d runs each, medians; image %s (%d bytes), flavor %s'
          % (args.runs, IMAGE, image.size or 0, FLAVOR))
    print('%-44s %10s %10s' % ('', 'boot', 'delete'))
    for key, (boots, deletes) in results.items():
        print('%-44s %10s %10s' % (key, median(boots), median(deletes)))

    # The targets, side by side from this run: the Docker driver's boot
    # against Nova's own overhead (the fake driver) and against Nova's
    # overhead plus what the engine itself takes to start a container.
    docker_boot = statistics.median(results[CACHED][0])
    fake_boot = statistics.median(results[FAKE][0])
    raw_run = statistics.median(results[RAW][0])
    print('docker boot / fake boot                      %6.2f    (target '
          '<= 1.3)' % (docker_boot / fake_boot))
    print('docker boot - (fake boot + raw docker run)   %+6.2f s  (target '
          '<= +0.20 s)' % (docker_boot - fake_boot - raw_run))


if __name__ == '__main__':
    main()
