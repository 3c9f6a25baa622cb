"""Process start-up shared by every magnumlite command and the WSGI app."""

from oslo_log import log as logging

from magnumlite.conf import CONF

LOG = logging.getLogger(__name__)


def prepare_service(args, default_config_files=None):
    """Parse the command line and config files, then set up logging.

    :param args: command-line arguments, without the program name.
    """
    logging.register_options(CONF)
    CONF(args, project='magnumlite',
         default_config_files=default_config_files)
    logging.setup(CONF, 'magnumlite')
    CONF.log_opt_values(LOG, logging.DEBUG)
