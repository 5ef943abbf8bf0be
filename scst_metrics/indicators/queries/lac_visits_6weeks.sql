-- Looked after 42 days or more at the month end; visited in the 42 days ending on it.
WITH eligible AS (
    SELECT period_end, child_id FROM lac_at WHERE poc_start <= period_end - INTERVAL 42 DAY
),
seen AS (
    SELECT DISTINCT e.period_end, e.child_id
    FROM eligible e
    JOIN visits v ON v.child_id = e.child_id
        AND v.visit_date > e.period_end - INTERVAL 42 DAY AND v.visit_date <= e.period_end
)
SELECT e.period_end, h.hub_id, (s.child_id IS NOT NULL)::INT AS num, 1 AS den
FROM eligible e
LEFT JOIN seen s USING (period_end, child_id)
LEFT JOIN child_hub_spans h ON h.child_id = e.child_id
    AND e.period_end BETWEEN h.from_date AND h.to_date
