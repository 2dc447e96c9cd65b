"""The model: rules as plain Python, persistence through repositories, the unit of work and the
outbox writer. Imports neither the API nor the workers."""
