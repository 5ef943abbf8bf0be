-- Permanent exclusions starting since 1 September.
SELECT p.period_end, h.hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN suspensions x ON x.exclusion_kind = 'permanent'
    AND x.start_date BETWEEN p.ay_start AND p.period_end
LEFT JOIN child_hub_spans h ON h.child_id = x.child_id
    AND p.period_end BETWEEN h.from_date AND h.to_date
