-- Completed assessments (approved or not approved; withdrawn is not a completed assessment).
SELECT p.period_end, NULL AS hub_id,
    (a.decision_date <= a.application_date + INTERVAL 8 MONTH)::INT AS num, 1 AS den
FROM periods p
JOIN fostering_applications a ON a.decision_date BETWEEN p.r12_start AND p.period_end
WHERE a.application_date IS NOT NULL
  AND a.outcome IN ('approved', 'not_approved')
