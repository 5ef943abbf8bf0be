-- Graded PEP meetings since 1 September; good or outstanding.
SELECT p.period_end, h.hub_id,
    (x.quality_grade IN ('good', 'outstanding'))::INT AS num, 1 AS den
FROM periods p
JOIN peps x ON x.meeting_date BETWEEN p.ay_start AND p.period_end
    AND x.quality_grade IS NOT NULL
LEFT JOIN child_hub_spans h ON h.child_id = x.child_id
    AND p.period_end BETWEEN h.from_date AND h.to_date
