"""gui-agent's own icon and desktop entry. Installed as ``gui_agent.data.brand``."""
