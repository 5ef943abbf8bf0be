-- Children on a plan at the month end; the denominator (population) is added by unit.
SELECT DISTINCT period_end, NULL AS hub_id, child_id, 1 AS num, NULL AS den
FROM cp_at
