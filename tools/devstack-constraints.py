"""Raise the pins of an upper-constraints file that requirements files
need higher, each to the least version they all allow, in place.

    python3 tools/devstack-constraints.py UPPER_CONSTRAINTS REQUIREMENTS...

tools/devstack-run runs this: the openstack/requirements snapshot DevStack
installs against can be older than the releases openstack-requirements.txt
pins (nova 34.0.0 needs keystoneauth1>=5.16.0, a snapshot of August pins
5.15.0), and pip then refuses the whole install. Only pins below a
requirement's lower bound change, to that bound; every change is printed.
Lines with an environment marker that does not hold here are left alone.
A raised package's own requirements count too (python-openstackclient
10.5.0 needs openstacksdk>=4.21.0, the snapshot pins 4.18.0; pip
backtracks for many minutes before it gives up): its wheel's metadata,
fetched with `pip download --no-deps`, is read in the next round, until
nothing more changes.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import zipfile

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version
except ImportError:  # Debian's pip carries it
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
    from pip._vendor.packaging.version import Version


def requirements(path):
    with open(path) as f:
        for line in f:
            line = line.split(' #')[0].strip()
            if not line or line.startswith(('#', '-')):
                continue
            try:
                req = Requirement(line)
            except Exception:
                continue
            if req.marker is None or req.marker.evaluate():
                yield req


def wheel_requirements(name, version, tmp):
    """Requires-Dist of name==version's wheel, as a requirements file."""
    dest = os.path.join(tmp, '%s-%s' % (name, version))
    out = os.path.join(tmp, '%s-%s.txt' % (name, version))
    try:
        subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet',
                        '--no-deps', '--only-binary', ':all:', '-d', dest,
                        '%s==%s' % (name, version)], check=True,
                       stdout=subprocess.DEVNULL)
        wheel, = glob.glob(os.path.join(dest, '*.whl'))
    except (subprocess.CalledProcessError, ValueError):
        print('warning: no wheel of %s %s to read its requirements from'
              % (name, version), file=sys.stderr)
        return None
    with zipfile.ZipFile(wheel) as z:
        meta, = [n for n in z.namelist()
                 if n.endswith('.dist-info/METADATA')]
        text = z.read(meta).decode()
    with open(out, 'w') as f:
        for line in text.splitlines():
            if line.startswith('Requires-Dist:'):
                f.write(line.split(':', 1)[1].strip() + '\n')
    return out


def lower_bound(req):
    """The least version req.specifier names as allowed, if any."""
    for spec in req.specifier:
        if spec.operator in ('>=', '==', '~=', '==='):
            return Version(spec.version)
    return None


def main(uc_path, *req_paths):
    req_paths = list(req_paths)
    followed = set()
    with tempfile.TemporaryDirectory() as tmp:
        while True:
            # Pins at a version asked for exactly as their lower bound
            # are followed too: those raised by an earlier run.
            to_follow = set(raise_pins(uc_path, req_paths)) - followed
            if not to_follow:
                return
            for name, version in sorted(to_follow):
                followed.add((name, version))
                path = wheel_requirements(name, version, tmp)
                if path:
                    req_paths.append(path)


def raise_pins(uc_path, req_paths):
    """One round: the (name, version) pairs raised or at their bound."""
    with open(uc_path) as f:
        lines = f.read().splitlines()
    wanted = {}  # name -> (least version, who asks)
    for path in req_paths:
        for req in requirements(path):
            low = lower_bound(req)
            name = canonicalize_name(req.name)
            if low and (name not in wanted or low > wanted[name][0]):
                wanted[name] = (low, '%s: %s' % (path, req))
    raised = []
    for i, line in enumerate(lines):
        m = re.match(r'^([A-Za-z0-9._-]+)===([^;\s]+)\s*(;.*)?$', line)
        if not m:
            continue
        name = canonicalize_name(m.group(1))
        pinned, marker = m.group(2), m.group(3)
        if marker:
            try:
                if not Requirement('x' + marker).marker.evaluate():
                    continue
            except Exception:
                continue
        if name in wanted and Version(pinned) == wanted[name][0]:
            raised.append((m.group(1), Version(pinned)))
        elif name in wanted and Version(pinned) < wanted[name][0]:
            low, who = wanted[name]
            lines[i] = '%s===%s%s' % (m.group(1), low, marker or '')
            print('%s: %s -> %s (%s)' % (m.group(1), pinned, low, who))
            raised.append((m.group(1), low))
    with open(uc_path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return raised


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
