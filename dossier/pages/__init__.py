"""The pages: which there are and their contexts, rendering them with Jinja2, interface strings."""
