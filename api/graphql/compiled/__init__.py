"""A compiled path for the hottest read: documents whose root fields are all `cases`/`myQueue`
lists run as one SQL statement per root field that returns the response JSON, skipping
per-field execution. Anything else — and any error — goes through strawberry unchanged."""
