from datetime import date, datetime, timedelta

from patterns import Parameter, Table

start = Parameter("start_date", type=date)
days = Parameter("days", type=int, default=5)
hours = Parameter("hours_per_day", type=float, default=8.0)
label = Parameter("label", type=str)
include_weekends = Parameter("include_weekends", type=bool, default=True)
tags = Parameter("tags", type=list, default=[])
generated_at = Parameter("generated_at", type=datetime)

calendar = Table("calendar", "w")

rows = []
day = start
while len(rows) < days:
    if include_weekends or day.weekday() < 5:
        rows.append(
            {
                "day_index": len(rows),
                "day": day.isoformat(),
                "weekday": day.strftime("%A"),
                "label": f"{label} day {len(rows) + 1}",
                "hours": hours,
                "tags": ",".join(tags),
                "generated_at": generated_at.isoformat(),
            }
        )
    day += timedelta(days=1)

calendar.replace(rows)
print(f"{len(rows)} days from {start.isoformat()}")
