"""Make nova-compute find this package's drivers.

Nova imports ``compute_driver`` strictly as ``nova.virt.<compute_driver>``
(nova.virt.driver.load_compute_driver); a driver that is merely importable
from elsewhere on sys.path is never found. The old nova-docker asked for a
dotted path outside Nova, which stopped working years ago.

So ``install`` writes one small module into Nova's own ``nova/virt/``
directory that re-exports :mod:`nova_driver`; with the default name,
``compute_driver = magnumlite.<Driver>`` resolves to ``nova_driver.<Driver>``.
The module carries a marker line so ``uninstall`` removes only what we wrote,
and ``install`` is idempotent. Run it with the Python that runs nova-compute.
"""

import argparse
import os
import sys

MARKER = '# Installed by magnumlite-nova-virt-shim.'
SHIM_SOURCE = '''%s Remove with:
#   magnumlite-nova-virt-shim uninstall --name %s
# nova-compute imports compute_driver only as nova.virt.<name>; this module
# re-exports the magnumlite Docker driver package under that name.
from nova_driver import *  # noqa: F401,F403
'''
DEFAULT_NAME = 'magnumlite'


def nova_virt_dir():
    import nova.virt
    return os.path.dirname(os.path.abspath(nova.virt.__file__))


def shim_path(name, virt_dir=None):
    return os.path.join(virt_dir or nova_virt_dir(), name + '.py')


def _is_ours(path):
    with open(path) as f:
        return f.readline().startswith(MARKER)


def install(name=DEFAULT_NAME, virt_dir=None):
    """Write nova/virt/<name>.py; return its path."""
    path = shim_path(name, virt_dir)
    if os.path.exists(path) and not _is_ours(path):
        raise RuntimeError('%s exists and was not written by magnumlite; '
                           'choose another --name' % path)
    with open(path, 'w') as f:
        f.write(SHIM_SOURCE % (MARKER, name))
    return path


def uninstall(name=DEFAULT_NAME, virt_dir=None):
    """Remove nova/virt/<name>.py if we wrote it; return whether it was."""
    path = shim_path(name, virt_dir)
    if not os.path.exists(path):
        return False
    if not _is_ours(path):
        raise RuntimeError('%s was not written by magnumlite; not removing'
                           % path)
    os.unlink(path)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='magnumlite-nova-virt-shim',
        description='Install or remove the nova.virt.<name> module that lets '
                    'nova-compute load magnumlite\'s Docker driver.')
    parser.add_argument('action', choices=('install', 'uninstall', 'show'))
    parser.add_argument('--name', default=DEFAULT_NAME,
                        help='module name under nova.virt (default: '
                             '%(default)s, i.e. compute_driver = '
                             '%(default)s.<Driver>)')
    args = parser.parse_args(argv)
    try:
        if args.action == 'install':
            print('installed %s' % install(args.name))
        elif args.action == 'uninstall':
            removed = uninstall(args.name)
            print('removed %s' % shim_path(args.name) if removed
                  else 'not installed')
        else:
            path = shim_path(args.name)
            print('%s %s' % (path, 'installed' if os.path.exists(path)
                             else 'not installed'))
    except (RuntimeError, OSError) as e:
        print('magnumlite-nova-virt-shim: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
