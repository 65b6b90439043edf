"""The registry importer (DESIGN.md §2): reads a union's JSON document, writes through each app's services."""
