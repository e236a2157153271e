"""Business rules: keyword-only functions over a SQLModel `Session`, raising typed errors.

Nothing in this package imports Reflex; the Reflex states and the REST API are both thin faces over it.
"""
