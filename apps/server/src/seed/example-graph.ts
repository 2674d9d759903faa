import type { GraphDocument } from "@patchbay/graph";

const GENERATE_ORDERS = `from patterns import Table
import random

orders = Table("orders", "w")

random.seed(42)
items = ["apple", "pear", "plum", "fig"]
records = [
    {
        "order_id": i,
        "item": random.choice(items),
        "quantity": random.randint(1, 5),
        "price": round(random.uniform(0.5, 4.0), 2),
    }
    for i in range(1, 101)
]
orders.replace(records)
print(f"generated {len(records)} orders")
`;

const SUMMARISE_ORDERS = `from patterns import Table

orders = Table("orders")
summary = Table("order_summary", "w")

totals = {}
for row in orders.read():
    total = totals.setdefault(row["item"], {"item": row["item"], "orders": 0, "revenue": 0.0})
    total["orders"] += 1
    total["revenue"] = round(total["revenue"] + row["quantity"] * row["price"], 2)

summary.replace(sorted(totals.values(), key=lambda r: r["item"]))
print(f"summarised {len(totals)} items")
`;

const node = (id: string, kind: "python" | "table", title: string, x: number, y: number, code = "") => ({
  id,
  kind,
  title,
  position: { x, y },
  code,
  inputs: {},
  outputs: {},
  parameterValues: {},
  runtime: "server" as const,
});

/** The graph a new installation starts with: orders generated, then summarised. */
export function exampleGraph(): { title: string; document: GraphDocument } {
  return {
    title: "Example: orders",
    document: {
      schemaVersion: 1,
      nodes: [
        node("generate_orders", "python", "generate_orders", 0, 80, GENERATE_ORDERS),
        node("orders", "table", "orders", 320, 100),
        node("summarise_orders", "python", "summarise_orders", 560, 80, SUMMARISE_ORDERS),
        node("order_summary", "table", "order_summary", 880, 100),
      ],
    },
  };
}
