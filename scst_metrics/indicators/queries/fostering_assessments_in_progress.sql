-- Applications accepted on or before the month end and not decided by it.
SELECT p.period_end, NULL AS hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN fostering_applications a ON a.application_date <= p.period_end
    AND (a.decision_date IS NULL OR a.decision_date > p.period_end)
