-- Children on a plan at the month end: a plan ending on the month end has ended.
SELECT DISTINCT c.period_end, h.hub_id, c.child_id, 1 AS num, NULL AS den
FROM cp_at c
LEFT JOIN child_hub_spans h ON h.child_id = c.child_id
    AND c.period_end BETWEEN h.from_date AND h.to_date
