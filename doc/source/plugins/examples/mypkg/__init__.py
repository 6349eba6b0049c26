"""Example plugins for symbiosis, one per extension point."""
