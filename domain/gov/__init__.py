"""The 12345 bridge: government hotline orders (工单), their deadlines, answers and rates."""
