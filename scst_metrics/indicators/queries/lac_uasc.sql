-- Looked after at the month end and UASC then: in the UASC table, not ceased (DUC) by then.
SELECT DISTINCT l.period_end, h.hub_id, l.child_id, 1 AS num, NULL AS den
FROM lac_at l
JOIN s903_uasc u ON u.child = l.child_id AND (u.duc IS NULL OR u.duc > l.period_end)
LEFT JOIN child_hub_spans h ON h.child_id = l.child_id
    AND l.period_end BETWEEN h.from_date AND h.to_date
