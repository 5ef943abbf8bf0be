-- Children looked after in the month with a missing (M) episode starting in the month.
SELECT DISTINCT m.period_end, h.hub_id, m.child_id, 1 AS num, NULL AS den
FROM lac_in_month m
JOIN s903_missing x ON x.child = m.child_id AND x.missing = 'M'
    AND x.mis_start BETWEEN m.month_start AND m.period_end
LEFT JOIN child_hub_spans h ON h.child_id = m.child_id
    AND m.period_end BETWEEN h.from_date AND h.to_date
