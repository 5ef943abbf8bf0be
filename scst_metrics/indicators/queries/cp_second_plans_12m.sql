-- DfE: a second or subsequent plan is one where the child has had a plan before, at any time.
WITH flagged AS (
    SELECT c.child_id, c.start_date,
        coalesce(c.previous_plans, 0) > 0 OR EXISTS (
            SELECT 1 FROM cin_cp_plans e
            WHERE e.child_id = c.child_id AND e.start_date < c.start_date
        ) AS subsequent
    FROM cin_cp_plans c
)
SELECT p.period_end, h.hub_id, f.subsequent::INT AS num, 1 AS den
FROM periods p
JOIN flagged f ON f.start_date BETWEEN p.r12_start AND p.period_end
LEFT JOIN child_hub h ON h.child_id = f.child_id AND h.period_end = p.period_end
