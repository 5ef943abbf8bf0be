-- Mainstream and short-break households deregistered from 1 April to the month end
-- (connected-person approvals end with the child's placement: not a loss of carers).
SELECT p.period_end, NULL AS hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN fostering_households f ON f.deregistered_date BETWEEN p.fy_start AND p.period_end
    AND f.household_kind <> 'connected_person'
