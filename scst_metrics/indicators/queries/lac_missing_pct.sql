-- Of the children looked after at any time in the month, those who went missing (M) in it.
SELECT m.period_end, h.hub_id, EXISTS (
        SELECT 1 FROM s903_missing x
        WHERE x.child = m.child_id AND x.missing = 'M'
          AND x.mis_start BETWEEN m.month_start AND m.period_end
    )::INT AS num, 1 AS den
FROM lac_in_month m
LEFT JOIN child_hub_spans h ON h.child_id = m.child_id
    AND m.period_end BETWEEN h.from_date AND h.to_date
