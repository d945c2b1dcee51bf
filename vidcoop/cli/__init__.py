"""The command-line interface: click commands only. The library does the work."""
