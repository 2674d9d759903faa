select day_index, day, weekday, label
from {{ Table("calendar") }}
where day_index < {{ Parameter("max_days", type=int, default=2) }}
order by day_index
