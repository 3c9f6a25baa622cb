from alembic import autogenerate
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from magnumlite.db import api as db_api
from magnumlite.db import migration
from magnumlite.db import models
from tests.unit import base


class TestMigration(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))

    def test_upgraded_to_the_only_head(self):
        [head] = alembic_script.ScriptDirectory(
            migration._SCRIPT_LOCATION).get_heads()
        self.assertEqual(head, migration.version())
        self.assertEqual('3d9e5b2c7a18', head)

    def test_models_match_migrations(self):
        with db_api.get_engine().connect() as connection:
            diff = autogenerate.compare_metadata(
                alembic_migration.MigrationContext.configure(connection),
                models.Base.metadata)
        self.assertEqual([], diff)
