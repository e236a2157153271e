"""HTTP faces: the Medusa-compatible store API, the outbox API, and the UI's cookie endpoints."""
