-- School-age children looked after at the month end with a PEP meeting in the last 6 months.
WITH seen AS (
    SELECT DISTINCT s.period_end, s.child_id
    FROM school_age_lac s
    JOIN periods p ON p.period_end = s.period_end
    JOIN peps x ON x.child_id = s.child_id
        AND x.meeting_date BETWEEN p.r6_start AND p.period_end
)
SELECT s.period_end, h.hub_id, (seen.child_id IS NOT NULL)::INT AS num, 1 AS den
FROM school_age_lac s
LEFT JOIN seen USING (period_end, child_id)
LEFT JOIN child_hub h ON h.child_id = s.child_id AND h.period_end = s.period_end
