-- Cases with a named worker, by the hub holding the case; FTE in post, by the worker's hub.
SELECT p.period_end, h.hub_id, 1 AS num, 0 AS den
FROM periods p
JOIN child_hub_spans h ON p.period_end BETWEEN h.from_date AND h.to_date
WHERE h.worker_id IS NOT NULL
UNION ALL
SELECT period_end, hub_id, 0 AS num, fte AS den
FROM workers_at
