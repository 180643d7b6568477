"""``python -m helpers.pipeline run [options]`` (the Makefile's ``make report``, cron, systemd)."""

import sys

from helpers.pipeline.command import main

if __name__ == "__main__":
    sys.exit(main())
