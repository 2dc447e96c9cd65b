"""话务记录 Call records (docs/centre-day.md §8): telephony integrations, the calls they tell us
of, and the answer-rate figures counted from them."""
