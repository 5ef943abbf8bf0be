-- On a CIN plan at the month end for 20+ working days; visited in the 20 working days to then.
WITH eligible AS (
    SELECT p.period_end, c.child_id, wp.wd AS wd_end
    FROM periods p
    JOIN cin_plans c ON c.start_date <= p.period_end
        AND (c.end_date IS NULL OR c.end_date > p.period_end)
    JOIN working_days wp ON wp.day = p.period_end
    JOIN working_days ws ON ws.day = c.start_date
    WHERE wp.wd - ws.wd >= 20
    GROUP BY ALL
),
seen AS (
    SELECT DISTINCT e.period_end, e.child_id
    FROM eligible e
    JOIN visits v ON v.child_id = e.child_id AND v.visit_date <= e.period_end
    JOIN working_days wv ON wv.day = v.visit_date
    WHERE wv.wd > e.wd_end - 20
)
SELECT e.period_end, h.hub_id, (s.child_id IS NOT NULL)::INT AS num, 1 AS den
FROM (SELECT period_end, child_id, min(wd_end) AS wd_end FROM eligible GROUP BY ALL) e
LEFT JOIN seen s USING (period_end, child_id)
LEFT JOIN child_hub h ON h.child_id = e.child_id AND h.period_end = e.period_end
