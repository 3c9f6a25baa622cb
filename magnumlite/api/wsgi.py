"""WSGI entry point: uwsgi --module magnumlite.api.wsgi:application

The configuration is $OS_MAGNUMLITE_CONFIG_DIR/magnumlite.conf (default
/etc/magnumlite/magnumlite.conf), since a WSGI server passes no command
line to the application; api-paste.ini is looked up next to it.
"""

import os

from magnumlite.api import app
from magnumlite.common import service

CONFIG_DIR_ENV = 'OS_MAGNUMLITE_CONFIG_DIR'
DEFAULT_CONFIG_DIR = '/etc/magnumlite'


def init_application():
    config_dir = os.environ.get(CONFIG_DIR_ENV, DEFAULT_CONFIG_DIR)
    service.prepare_service(
        [], default_config_files=[os.path.join(config_dir,
                                               'magnumlite.conf')])
    return app.load_app()


application = init_application()
