"""Icons of our own, used to render training screens. Installed as ``gui_agent.data.icons``."""
