"""The registry importer (product.md §2): reads a union's JSON document, writes through the apps' services."""
