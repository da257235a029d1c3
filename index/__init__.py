"""Stage 3: a Whoosh index of pages, Norwegian-aware."""
