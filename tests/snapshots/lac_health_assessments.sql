
INSERT INTO indicator_values
WITH facts AS (
    SELECT period_end::DATE AS period_end, hub_id::VARCHAR AS hub_id,
        num::DOUBLE AS num, den::DOUBLE AS den
    FROM (
-- OC2 (children looked after 12 months or more at 31 March): health assessment up to date.
-- DfE: HEALTH_ASSESSMENT is 'health assessment up to date'; HEALTH_CHECK is health promotion.
SELECT p.period_end, h.hub_id, (o.health_assessment = '1')::INT AS num, 1 AS den
FROM s903_oc2 o
JOIN periods p ON p.period_end = make_date(o.collection_year, 3, 31)
LEFT JOIN child_hub h ON h.child_id = o.child AND h.period_end = p.period_end

    ) q
), agg AS (
    SELECT period_end, hub_id, GROUPING(hub_id) = 1 AS trust, sum(num) AS num, sum(den) AS den
    FROM facts
    GROUP BY GROUPING SETS ((period_end, hub_id), (period_end))
    HAVING GROUPING(hub_id) = 1 OR hub_id IS NOT NULL
), frame AS (
    SELECT period_end, NULL::VARCHAR AS hub_id, TRUE AS trust FROM (SELECT * FROM periods WHERE month(period_end) = 3 AND day(period_end) = 31) p
    
        UNION
        SELECT p.period_end, h.hub_id, FALSE FROM (SELECT * FROM periods WHERE month(period_end) = 3 AND day(period_end) = 31) p
        JOIN hubs h ON h.opened <= p.period_end
            AND (h.closed IS NULL OR h.closed > p.period_end)
            AND h.hub_kind IN ('lac', 'leaving_care', 'disabled_children')
        UNION
        SELECT period_end, hub_id, FALSE FROM agg WHERE NOT trust
)
SELECT 'lac_health_assessments', f.period_end, f.hub_id, coalesce(a.num, 0), coalesce(a.den, 0), CASE WHEN coalesce(a.den, 0) > 0 THEN 100.0 * coalesce(a.num, 0) / coalesce(a.den, 0) END
FROM frame f
LEFT JOIN agg a ON a.period_end = f.period_end AND a.trust = f.trust
    AND a.hub_id IS NOT DISTINCT FROM f.hub_id
LEFT JOIN period_population pp ON pp.period_end = f.period_end
ORDER BY f.period_end, f.hub_id NULLS FIRST
