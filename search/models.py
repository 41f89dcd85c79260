# Search stores nothing of its own: the index is modelsearch's (IndexEntry).
