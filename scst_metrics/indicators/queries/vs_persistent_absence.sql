-- DfE persistent absence: 10% or more of possible sessions missed (ended terms of the year).
WITH per_child AS (
    SELECT period_end, child_id,
        sum(sessions_authorised_absence + sessions_unauthorised_absence) AS missed,
        sum(sessions_possible) AS possible
    FROM attendance_terms
    GROUP BY period_end, child_id
    HAVING sum(sessions_possible) > 0
)
SELECT c.period_end, h.hub_id, (c.missed >= 0.1 * c.possible)::INT AS num, 1 AS den
FROM per_child c
LEFT JOIN child_hub_spans h ON h.child_id = c.child_id
    AND c.period_end BETWEEN h.from_date AND h.to_date
