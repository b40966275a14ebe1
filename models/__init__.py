"""The models gui-agent ships (see manifest.json). Installed as ``gui_agent.data.models``: this
folder is the source of truth, mapped into the package when a wheel is built."""
