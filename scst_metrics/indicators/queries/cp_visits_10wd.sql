-- On a plan at the month end for 10+ working days; visited in the 10 working days to then.
WITH eligible AS (
    SELECT c.period_end, c.child_id, wp.wd AS wd_end
    FROM cp_at c
    JOIN working_days wp ON wp.day = c.period_end
    JOIN working_days ws ON ws.day = c.start_date
    WHERE wp.wd - ws.wd >= 10
    GROUP BY ALL
),
seen AS (
    SELECT DISTINCT e.period_end, e.child_id
    FROM eligible e
    JOIN visits v ON v.child_id = e.child_id AND v.visit_date <= e.period_end
    JOIN working_days wv ON wv.day = v.visit_date
    WHERE wv.wd > e.wd_end - 10
)
SELECT e.period_end, h.hub_id, (s.child_id IS NOT NULL)::INT AS num, 1 AS den
FROM eligible e
LEFT JOIN seen s USING (period_end, child_id)
LEFT JOIN child_hub h ON h.child_id = e.child_id AND h.period_end = e.period_end
