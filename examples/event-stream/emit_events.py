from patterns import State, Stream

events = Stream("events", "w")
state = State()

# Each run emits the next five events; State remembers where the last run stopped.
first = state.get_value("next_event", 0)
kinds = ["signup", "login", "purchase"]
batch = [{"event_id": n, "kind": kinds[n % 3]} for n in range(first, first + 5)]
events.write(batch)
state.set_value("next_event", first + 5)
print(f"emitted events {first} to {first + 4}")
