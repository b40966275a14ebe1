"""gui-agent: a desktop GUI automation agent that sees the screen and acts with your approval."""

__version__ = "0.1.0"
