select
    item,
    count(*) as orders,
    sum(quantity) as units,
    sum(quantity * price_cents) as revenue_cents
from {{ Table("orders") }}
group by item
order by item
