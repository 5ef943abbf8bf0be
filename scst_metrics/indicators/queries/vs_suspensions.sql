-- School-age children looked after at the month end suspended at least once since 1 September.
WITH suspended AS (
    SELECT DISTINCT s.period_end, s.child_id
    FROM school_age_lac s
    JOIN periods p ON p.period_end = s.period_end
    JOIN suspensions x ON x.child_id = s.child_id AND x.exclusion_kind = 'suspension'
        AND x.start_date BETWEEN p.ay_start AND p.period_end
)
SELECT s.period_end, h.hub_id, (x.child_id IS NOT NULL)::INT AS num, 1 AS den
FROM school_age_lac s
LEFT JOIN suspended x USING (period_end, child_id)
LEFT JOIN child_hub_spans h ON h.child_id = s.child_id
    AND s.period_end BETWEEN h.from_date AND h.to_date
