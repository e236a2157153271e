"""Reflex state classes: thin, they parse input, call a service, and show the result."""
