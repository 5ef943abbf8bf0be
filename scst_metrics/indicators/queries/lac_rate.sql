-- Looked after at the month end; the denominator (population) is added by unit.
SELECT period_end, NULL AS hub_id, 1 AS num, NULL AS den
FROM lac_at
