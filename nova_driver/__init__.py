"""A Nova virt driver that runs instances as Docker containers.

nova-compute loads ``compute_driver = magnumlite.<Driver>`` through the shim
module that ``magnumlite-nova-virt-shim install`` puts into ``nova/virt/``
(see virt_shim.py); the names listed in ``__all__`` are what it can load.

The driver is imported on first use (PEP 562 ``__getattr__``), so the shim's
command line and ``import nova_driver`` do not import nova.
"""

__all__ = ['DockerDriver']


def __getattr__(name):
    if name == 'DockerDriver':
        from nova_driver.driver import DockerDriver
        return DockerDriver
    raise AttributeError('module %r has no attribute %r' % (__name__, name))
