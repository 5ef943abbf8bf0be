-- Of the children looked after at any time in the month, those who went missing (M) in it.
WITH went AS (
    SELECT DISTINCT m.period_end, m.child_id
    FROM lac_in_month m
    JOIN s903_missing x ON x.child = m.child_id AND x.missing = 'M'
        AND x.mis_start BETWEEN m.month_start AND m.period_end
)
SELECT m.period_end, h.hub_id, (w.child_id IS NOT NULL)::INT AS num, 1 AS den
FROM lac_in_month m
LEFT JOIN went w USING (period_end, child_id)
LEFT JOIN child_hub h ON h.child_id = m.child_id AND h.period_end = m.period_end
