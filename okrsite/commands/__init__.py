"""The commands: the CLI and what only a command does (init, new-cycle, demo, generate, diff)."""
