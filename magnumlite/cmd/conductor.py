"""magnumlite-conductor: the service that does the work the API asks for."""

import sys

from magnumlite.common import service
from magnumlite.conductor import service as conductor_service
from magnumlite.conf import CONF


def main():
    service.prepare_service(sys.argv[1:])
    conductor_service.launch(CONF.conductor.workers)


if __name__ == '__main__':
    main()
