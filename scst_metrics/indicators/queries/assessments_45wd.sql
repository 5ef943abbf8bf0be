-- DfE: working days from the assessment start (day 0) to its authorisation, at most 45.
SELECT p.period_end, h.hub_id, ((wa.wd - ws.wd) <= 45)::INT AS num, 1 AS den
FROM periods p
JOIN cin_assessments a ON a.authorisation_date BETWEEN p.r12_start AND p.period_end
JOIN working_days ws ON ws.day = a.start_date
JOIN working_days wa ON wa.day = a.authorisation_date
LEFT JOIN child_hub_spans h ON h.child_id = a.child_id
    AND p.period_end BETWEEN h.from_date AND h.to_date
