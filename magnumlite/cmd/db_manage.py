"""magnumlite-db-manage: migrate the database schema."""

import sys

from oslo_config import cfg

from magnumlite.common import service
from magnumlite.conf import CONF
from magnumlite.db import migration


def do_upgrade():
    migration.upgrade(CONF.command.revision)


def do_version():
    print(migration.version())


def add_command_parsers(subparsers):
    parser = subparsers.add_parser(
        'upgrade', help='Upgrade the database schema to a revision.')
    parser.add_argument('--revision', default='head',
                        help='Alembic revision to upgrade to (default head).')
    parser.set_defaults(func=do_upgrade)

    parser = subparsers.add_parser(
        'version', help='Print the current database schema revision.')
    parser.set_defaults(func=do_version)


command_opt = cfg.SubCommandOpt('command', title='Commands',
                                help='Available commands',
                                handler=add_command_parsers)


def main():
    CONF.register_cli_opt(command_opt)
    service.prepare_service(sys.argv[1:])
    CONF.command.func()


if __name__ == '__main__':
    main()
