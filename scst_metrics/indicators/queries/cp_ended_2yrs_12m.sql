-- DfE: plans ceasing in the period that had lasted 2 years or more.
SELECT p.period_end, h.hub_id,
    (c.end_date >= c.start_date + INTERVAL 2 YEAR)::INT AS num, 1 AS den
FROM periods p
JOIN cin_cp_plans c ON c.end_date BETWEEN p.r12_start AND p.period_end
LEFT JOIN child_hub_spans h ON h.child_id = c.child_id
    AND p.period_end BETWEEN h.from_date AND h.to_date
