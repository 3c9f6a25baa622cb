"""A Nova virt driver that runs instances as Docker containers.

nova-compute loads ``compute_driver = magnumlite.<Driver>`` through the shim
module that ``magnumlite-nova-virt-shim install`` puts into ``nova/virt/``
(see virt_shim.py); the names listed in ``__all__`` are what it can load.
"""

__all__ = []
