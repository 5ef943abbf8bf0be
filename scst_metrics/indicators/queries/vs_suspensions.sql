-- School-age children looked after at the month end suspended at least once since 1 September.
SELECT s.period_end, h.hub_id, EXISTS (
        SELECT 1 FROM suspensions x
        WHERE x.child_id = s.child_id AND x.exclusion_kind = 'suspension'
          AND x.start_date BETWEEN p.ay_start AND p.period_end
    )::INT AS num, 1 AS den
FROM school_age_lac s
JOIN periods p ON p.period_end = s.period_end
LEFT JOIN child_hub h ON h.child_id = s.child_id AND h.period_end = s.period_end
