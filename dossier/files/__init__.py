"""The site's other files: feeds, data exports, citations, hosting files, images."""
