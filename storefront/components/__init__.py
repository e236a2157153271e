"""Reusable, pure UI pieces."""
