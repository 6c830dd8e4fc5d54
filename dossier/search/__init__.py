"""The search index: what entries give Pagefind, and German compounds split for it."""
