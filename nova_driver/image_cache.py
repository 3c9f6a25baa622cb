"""Glance images (``docker save`` tarballs) -> images in the Docker engine.

A Glance image with ``container_format=docker`` holds a ``docker save``
tarball. The first boot downloads it with nova's image API and ``docker
load``s it; the loaded image is then tagged
``magnumlite-glance/<glance image id>:<checksum>``, and that tag is the
cache: a later boot of the same Glance image with the same checksum finds
the tag and downloads nothing. The repository:tag inside the tarball is
read from what ``docker load`` reports, so the Glance image's name does not
have to match it.
"""

import os
import re
import tempfile

from nova import exception
from oslo_concurrency import lockutils
from oslo_log import log as logging

from magnumlite.common import docker_engine

LOG = logging.getLogger(__name__)

CACHE_REPOSITORY = 'magnumlite-glance/'
DOCKER_CONTAINER_FORMAT = 'docker'


def cache_prefix(host):
    """The repository prefix of compute ``host``'s cache tags."""
    return '%s%s/' % (CACHE_REPOSITORY,
                      re.sub(r'[^a-z0-9]+', '-', host.lower()).strip('-'))


def cache_tag(host, image_id, checksum):
    """The engine tag that marks Glance image ``image_id`` as loaded."""
    return '%s%s:%s' % (cache_prefix(host), image_id,
                        checksum or 'unchecked')


def check_container_format(image_meta):
    """Refuse (ImageUnacceptable) an image that is not a docker tarball."""
    fmt = (image_meta.container_format
           if image_meta.obj_attr_is_set('container_format') else None)
    if fmt != DOCKER_CONTAINER_FORMAT:
        raise exception.ImageUnacceptable(
            image_id=image_meta.id if image_meta.obj_attr_is_set('id')
            else None,
            reason='the Docker driver boots only images with '
                   'container_format=docker (a "docker save" tarball), '
                   'this one has container_format=%s' % fmt)


class ImageCache(object):

    def __init__(self, client, image_api, host, tmp_dir=None):
        self._client = client
        self._host = host
        self._image_api = image_api
        self._tmp_dir = tmp_dir

    def lookup(self, image_id, checksum):
        """Return the cached engine image of a Glance image, or None."""
        return docker_engine.or_none(self._client.images.get,
                                     cache_tag(self._host, image_id, checksum))

    def ensure(self, context, image_meta):
        """Return the engine image for ``image_meta``, loading it if needed.

        Returns (docker Image, whether it was downloaded).
        """
        check_container_format(image_meta)
        image_id = image_meta.id
        checksum = (image_meta.checksum
                    if image_meta.obj_attr_is_set('checksum') else None)
        with lockutils.lock('magnumlite-docker-image-%s' % image_id):
            image = self.lookup(image_id, checksum)
            if image is not None:
                return image, False
            image = self._download_and_load(context, image_id)
            repository, tag = cache_tag(
                self._host, image_id, checksum).rsplit(':', 1)
            image.tag(repository, tag)
            image.reload()
            LOG.info('Loaded Glance image %(id)s as %(tags)s',
                     {'id': image_id, 'tags': image.tags})
            return image, True

    def cached(self):
        """Return {Glance image id: cache tag} of every cached image."""
        prefix = cache_prefix(self._host)
        found = {}
        for image in self._client.images.list():
            for tag in image.tags:
                if tag.startswith(prefix):
                    found[tag[len(prefix):].rsplit(':', 1)[0]] = tag
        return found

    def remove_unused(self, used_image_ids):
        """Drop the cache tags of Glance images no instance here uses.

        The engine deletes an image's layers when its last tag goes and no
        container uses it. Returns the Glance image ids dropped.
        """
        dropped = []
        for image_id, tag in self.cached().items():
            if image_id in used_image_ids:
                continue
            try:
                self._client.images.remove(tag)
            except docker_engine.APIError as e:
                LOG.warning('Could not remove cached image %s: %s', tag, e)
                continue
            dropped.append(image_id)
        return dropped

    def _download_and_load(self, context, image_id):
        if self._tmp_dir:
            os.makedirs(self._tmp_dir, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self._tmp_dir) as tmp:
            path = os.path.join(tmp, 'image.tar')
            self._image_api.download(context, image_id, dest_path=path)
            with open(path, 'rb') as tarball:
                try:
                    loaded = self._client.images.load(tarball)
                except docker_engine.DockerException as e:
                    raise exception.ImageUnacceptable(
                        image_id=image_id,
                        reason='docker load of its data failed: %s' % e)
        if len(loaded) != 1:
            raise exception.ImageUnacceptable(
                image_id=image_id,
                reason='its tarball holds %d images, not one'
                       % len(loaded))
        return loaded[0]
