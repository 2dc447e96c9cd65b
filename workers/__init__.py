"""Dramatiq broker and actors, the outbox relay, the scanner and periodic jobs."""
