-- OC2 (children looked after 12 months or more at 31 March): dental check up to date.
SELECT p.period_end, h.hub_id, (o.teeth_check = '1')::INT AS num, 1 AS den
FROM s903_oc2 o
JOIN periods p ON p.period_end = make_date(o.collection_year, 3, 31)
LEFT JOIN child_hub_spans h ON h.child_id = o.child
    AND p.period_end BETWEEN h.from_date AND h.to_date
