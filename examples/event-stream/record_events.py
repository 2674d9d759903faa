from patterns import Stream, Table

events = Stream("events")
consumed = Table("consumed", "w")

# Consume only what this node has not seen before, committing every three
# records: a failure later in the run keeps what was checkpointed.
batch = []
count = 0
for event in events.consume_records():
    batch.append({"event_id": event["event_id"], "kind": event["kind"]})
    count += 1
    if len(batch) == 3:
        consumed.append(batch)
        batch = []
        events.checkpoint()
if batch:
    consumed.append(batch)
print(f"consumed {count} new events")
