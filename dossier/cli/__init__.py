"""The command line, the only code that prints, and the commands beside the build."""
