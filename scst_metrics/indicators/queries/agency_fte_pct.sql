-- FTE of agency workers over FTE of all workers in post at the month end.
SELECT period_end, hub_id, CASE WHEN contract = 'agency' THEN fte ELSE 0 END AS num, fte AS den
FROM workers_at
