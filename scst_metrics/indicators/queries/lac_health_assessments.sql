-- OC2 (children looked after 12 months or more at 31 March): health assessment up to date.
-- DfE: HEALTH_ASSESSMENT is 'health assessment up to date'; HEALTH_CHECK is health promotion.
SELECT p.period_end, h.hub_id, (o.health_assessment = '1')::INT AS num, 1 AS den
FROM s903_oc2 o
JOIN periods p ON p.period_end = make_date(o.collection_year, 3, 31)
LEFT JOIN child_hub_spans h ON h.child_id = o.child
    AND p.period_end BETWEEN h.from_date AND h.to_date
