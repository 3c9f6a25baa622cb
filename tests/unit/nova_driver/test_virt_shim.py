import importlib
import os
import sys
import types

import fixtures
import testtools

from nova_driver import virt_shim


class TestVirtShim(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.virt_dir = self.useFixture(fixtures.TempDir()).path

    def _import_shim(self, name):
        """Import <virt_dir>/<name>.py the way nova does: nova.virt.<name>."""
        package = types.ModuleType('fakevirt')
        package.__path__ = [self.virt_dir]
        self.addCleanup(sys.modules.pop, 'fakevirt', None)
        self.addCleanup(sys.modules.pop, 'fakevirt.' + name, None)
        sys.modules['fakevirt'] = package
        return importlib.import_module('fakevirt.' + name)

    def test_install_writes_an_importable_reexport(self):
        path = virt_shim.install('mldocker', virt_dir=self.virt_dir)
        self.assertEqual(os.path.join(self.virt_dir, 'mldocker.py'), path)
        module = self._import_shim('mldocker')
        import nova_driver
        for name in nova_driver.__all__:
            self.assertIs(getattr(nova_driver, name), getattr(module, name))
        with open(path) as f:
            self.assertTrue(f.readline().startswith(virt_shim.MARKER))

    def test_install_is_idempotent_and_uninstall_removes(self):
        virt_shim.install('mldocker', virt_dir=self.virt_dir)
        virt_shim.install('mldocker', virt_dir=self.virt_dir)
        self.assertTrue(virt_shim.uninstall('mldocker',
                                            virt_dir=self.virt_dir))
        self.assertFalse(os.path.exists(
            os.path.join(self.virt_dir, 'mldocker.py')))
        self.assertFalse(virt_shim.uninstall('mldocker',
                                             virt_dir=self.virt_dir))

    def test_never_overwrites_or_removes_a_module_it_did_not_write(self):
        path = os.path.join(self.virt_dir, 'fake.py')
        with open(path, 'w') as f:
            f.write('# nova\'s own fake driver\n')
        self.assertRaises(RuntimeError, virt_shim.install, 'fake',
                          virt_dir=self.virt_dir)
        self.assertRaises(RuntimeError, virt_shim.uninstall, 'fake',
                          virt_dir=self.virt_dir)
        with open(path) as f:
            self.assertEqual('# nova\'s own fake driver\n', f.read())
