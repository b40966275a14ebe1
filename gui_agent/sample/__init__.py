"""The sample form gui-agent's demo drives, shipped so the demo runs from any install."""
