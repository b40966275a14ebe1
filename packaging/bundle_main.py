"""The desktop bundle's entry point: ``gui-agent`` with no Python on the machine.

With no arguments (started from the menu or a double-click) it opens the app; with arguments
it is the whole command line: ``gui-agent doctor``, ``gui-agent demo``, ``gui-agent run ...``.
"""

import multiprocessing
import sys

from gui_agent.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # `gui-agent test -j N` starts worker processes
    sys.exit(main(sys.argv[1:] or ["app"]))
