"""Email: rendering (render.py) apart from sending (backends.py)."""
