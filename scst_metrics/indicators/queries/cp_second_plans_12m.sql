-- DfE: a second or subsequent plan is one where the child has had a plan before, at any time.
SELECT p.period_end, h.hub_id, (
        coalesce(c.previous_plans, 0) > 0 OR EXISTS (
            SELECT 1 FROM cin_cp_plans e
            WHERE e.child_id = c.child_id AND e.start_date < c.start_date
        )
    )::INT AS num, 1 AS den
FROM periods p
JOIN cin_cp_plans c ON c.start_date BETWEEN p.r12_start AND p.period_end
LEFT JOIN child_hub_spans h ON h.child_id = c.child_id
    AND p.period_end BETWEEN h.from_date AND h.to_date
