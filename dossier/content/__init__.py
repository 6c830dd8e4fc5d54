"""Reading and checking the content: front matter, fields, dossier.yaml, entries, notes, entities, dates."""
