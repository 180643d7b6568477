"""``python -m helpers.validate.devsets build <set-folder>`` / ``evaluate [options]`` (``make evaluate``)."""

import sys

from helpers.validate.devsets.command import main

if __name__ == "__main__":
    sys.exit(main())
