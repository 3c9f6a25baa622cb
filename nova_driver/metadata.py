"""Instance metadata and user_data delivered into the container.

Two channels, both read-only to the container:

* a directory laid out like a config drive,
  ``<metadata_dir>/<uuid>/openstack/latest/{meta_data.json,user_data}``,
  written by the driver and bind-mounted read-only at ``/run/openstack``
  (so ``/run/openstack/latest/meta_data.json``). It is the only host path a
  container ever sees; users cannot name host paths.
* environment variables ``MAGNUMLITE_*`` (instance uuid, name, hostname,
  availability zone and where the metadata directory is mounted).

meta_data.json holds a subset of OpenStack's metadata format: uuid, name,
hostname, availability_zone, project_id, launch_index, meta (the server's
metadata key/values) and public_keys.
"""

import base64
import json
import os
import shutil

MOUNT_POINT = '/run/openstack'


def instance_dir(base_dir, instance_uuid):
    return os.path.join(base_dir, instance_uuid)


def meta_data(instance):
    data = {
        'uuid': instance.uuid,
        'name': instance.display_name,
        'hostname': instance.hostname,
        'availability_zone': instance.availability_zone,
        'project_id': instance.project_id,
        'launch_index': instance.launch_index,
        'meta': dict(instance.metadata or {}),
        'public_keys': {},
    }
    if instance.key_data:
        data['public_keys'][instance.key_name or 'key'] = instance.key_data
    return data


def environment(instance):
    return {
        'MAGNUMLITE_INSTANCE_UUID': instance.uuid,
        'MAGNUMLITE_INSTANCE_NAME': instance.display_name or '',
        'MAGNUMLITE_HOSTNAME': instance.hostname or '',
        'MAGNUMLITE_AVAILABILITY_ZONE': instance.availability_zone or '',
        'MAGNUMLITE_METADATA_DIR': MOUNT_POINT,
    }


def write(base_dir, instance):
    """Write the instance's metadata directory; return the path to mount."""
    root = os.path.join(instance_dir(base_dir, instance.uuid), 'openstack')
    latest = os.path.join(root, 'latest')
    os.makedirs(latest, mode=0o755, exist_ok=True)
    with open(os.path.join(latest, 'meta_data.json'), 'w') as f:
        json.dump(meta_data(instance), f, sort_keys=True)
    user_data_path = os.path.join(latest, 'user_data')
    if instance.user_data:
        with open(user_data_path, 'wb') as f:
            f.write(base64.b64decode(instance.user_data))
    elif os.path.exists(user_data_path):
        os.unlink(user_data_path)
    return root


def remove(base_dir, instance_uuid):
    shutil.rmtree(instance_dir(base_dir, instance_uuid), ignore_errors=True)
