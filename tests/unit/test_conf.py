from importlib import metadata

from oslo_config import cfg
from oslo_db import options as db_options
import testtools

from magnumlite import conf
from magnumlite.conf import opts


def _registered(config):
    """{(group, option name)} of everything registered on config."""
    names = set()
    for key in config:
        value = config[key]
        if isinstance(value, cfg.ConfigOpts.GroupAttr):
            names.update((key, name) for name in value)
        else:
            names.add(('DEFAULT', key))
    return names


def _listed(list_opts_result):
    if isinstance(list_opts_result, dict):   # nova's style of list_opts
        list_opts_result = list_opts_result.items()
    return {(getattr(group, 'name', group) or 'DEFAULT', opt.name)
            for group, group_opts in list_opts_result
            for opt in group_opts}


class TestListOpts(testtools.TestCase):

    def test_every_registered_option_is_listed(self):
        config = cfg.ConfigOpts()
        for module in (conf.default, conf.api, conf.conductor,
                       conf.database):
            module.register_opts(config)

        ours = _registered(config) - _registered(cfg.ConfigOpts())
        listed = _listed(opts.list_opts())
        # [database] belongs to the oslo.db namespace of the generator.
        listed_by_oslo_db = _listed(db_options.list_opts())
        self.assertEqual(set(), ours - listed - listed_by_oslo_db)
        self.assertEqual(set(), listed & listed_by_oslo_db)
        self.assertIn(('conductor', 'service_down_time'), listed)

    def test_database_defaults_to_sqlite_under_state_path(self):
        config = cfg.ConfigOpts()
        conf.default.register_opts(config)
        conf.database.register_opts(config)
        config([], default_config_files=[])
        config.set_override('state_path', '/srv/ml')
        self.assertEqual('sqlite:////srv/ml/magnumlite.sqlite',
                         config.database.connection)


class TestGeneratorNamespaces(testtools.TestCase):

    def test_each_namespace_of_setup_cfg_lists_options(self):
        # what oslo-config-generator loads for the samples in etc/
        found = {ep.name: ep for ep in metadata.entry_points(
            group='oslo.config.opts') if ep.value.split('.')[0] in
            ('magnumlite', 'nova_driver', 'heat_plugin')}
        self.assertEqual({'magnumlite.conf', 'nova_driver.conf',
                          'heat_plugin.conf'}, set(found))
        for name, ep in found.items():
            listed = _listed(ep.load()())
            self.assertTrue(listed, name)
        self.assertIn(('magnumlite_containers', 'allow_privileged'),
                      _listed(found['heat_plugin.conf'].load()()))
