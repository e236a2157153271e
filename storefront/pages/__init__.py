"""Pages: pure functions of state vars; they never touch the database."""
