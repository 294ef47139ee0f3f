"""Static front ends: read source code (never run it, never import a DL framework)."""
