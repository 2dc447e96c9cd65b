"""The property archive (档案): buildings, flats, residents and where they live (docs/archive.md)."""
