-- Cases with a named worker, by the hub holding the case; FTE in post, by the worker's hub.
SELECT period_end, hub_id, 1 AS num, 0 AS den
FROM child_hub
WHERE worker_id IS NOT NULL
UNION ALL
SELECT period_end, hub_id, 0 AS num, fte AS den
FROM workers_at
