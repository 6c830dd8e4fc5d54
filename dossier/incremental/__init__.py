"""What rebuilds keep and compare so that they do only what changed: the cache, keys, reads."""
