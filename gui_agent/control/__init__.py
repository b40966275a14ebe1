"""Control: what the agent may do on its own, and how a person approves the rest."""
