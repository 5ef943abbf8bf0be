-- Approved on or before the month end and not deregistered by it.
SELECT p.period_end, NULL AS hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN fostering_households f ON f.approved_date <= p.period_end
    AND (f.deregistered_date IS NULL OR f.deregistered_date > p.period_end)
