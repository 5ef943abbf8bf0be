-- School-age children looked after at the month end with a PEP meeting in the last 6 months.
WITH seen AS (  -- a semi join: no row per meeting, no DISTINCT (at England size, memory)
    SELECT s.period_end, s.child_id
    FROM school_age_lac s
    JOIN periods p ON p.period_end = s.period_end
    SEMI JOIN peps x ON x.child_id = s.child_id
        AND x.meeting_date BETWEEN p.r6_start AND p.period_end
)
SELECT s.period_end, h.hub_id, (seen.child_id IS NOT NULL)::INT AS num, 1 AS den
FROM school_age_lac s
LEFT JOIN seen USING (period_end, child_id)
LEFT JOIN child_hub_spans h ON h.child_id = s.child_id
    AND s.period_end BETWEEN h.from_date AND h.to_date
