-- DfE: looked after at the month end, V3/V4 short breaks excluded (lac_at).
SELECT l.period_end, h.hub_id, 1 AS num, NULL AS den
FROM lac_at l
LEFT JOIN child_hub_spans h ON h.child_id = l.child_id
    AND l.period_end BETWEEN h.from_date AND h.to_date
