from patterns import Table

orders = Table("orders", "w")

# Deterministic data, so the report (and the tests that check it) never changes.
ITEMS = ["apple", "pear", "plum", "fig"]
PRICE_CENTS = {"apple": 120, "pear": 250, "plum": 75, "fig": 300}

records = []
for i in range(1, 61):
    item = ITEMS[i % 4]
    records.append(
        {
            "order_id": i,
            "item": item,
            "quantity": i % 5 + 1,
            "price_cents": PRICE_CENTS[item],
        }
    )

orders.replace(records)
print(f"generated {len(records)} orders")
