-- Children placed (last day inclusive) with a household approved at the month end, over the
-- places those households are approved for.
WITH approved AS (
    SELECT p.period_end, f.household_id, f.approved_places
    FROM periods p
    JOIN fostering_households f ON f.approved_date <= p.period_end
        AND (f.deregistered_date IS NULL OR f.deregistered_date > p.period_end)
)
SELECT period_end, NULL AS hub_id, 0 AS num, approved_places AS den FROM approved
UNION ALL
SELECT a.period_end, NULL AS hub_id, 1 AS num, 0 AS den
FROM approved a
JOIN foster_placements fp ON fp.household_id = a.household_id
    AND fp.start_date <= a.period_end
    AND (fp.end_date IS NULL OR fp.end_date >= a.period_end)
