"""The dossier assembled: the timeline, related reading and the indexes every page draws on."""
