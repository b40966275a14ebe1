"""``python -m gui_agent.app`` opens the desktop app."""

import sys

from gui_agent.app.main import main

sys.exit(main())
