"""trackwire: athletics news in, tagged data out. The command-line app and its settings."""
