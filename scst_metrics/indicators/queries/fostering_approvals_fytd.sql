-- Mainstream and short-break households approved from 1 April to the month end
-- (connected-person carers are approved for a named child: not recruitment).
SELECT p.period_end, NULL AS hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN fostering_households f ON f.approved_date BETWEEN p.fy_start AND p.period_end
    AND f.household_kind <> 'connected_person'
