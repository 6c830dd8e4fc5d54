"""The staged site, swapped in whole, and the check that every internal link resolves."""
