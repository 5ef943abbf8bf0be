
INSERT INTO indicator_values
WITH facts AS (
    SELECT period_end::DATE AS period_end, hub_id::VARCHAR AS hub_id,
        num::DOUBLE AS num, den::DOUBLE AS den
    FROM (
-- Children whose case the hub held at the month end (child_hub: latest allocation open then).
SELECT period_end, hub_id, 1 AS num, NULL AS den
FROM child_hub

    ) q
), agg AS (
    SELECT period_end, hub_id, GROUPING(hub_id) = 1 AS trust, sum(num) AS num, sum(den) AS den
    FROM facts
    GROUP BY GROUPING SETS ((period_end, hub_id), (period_end))
    HAVING GROUPING(hub_id) = 1 OR hub_id IS NOT NULL
), frame AS (
    SELECT period_end, NULL::VARCHAR AS hub_id, TRUE AS trust FROM periods p
    
        UNION
        SELECT p.period_end, h.hub_id, FALSE FROM periods p
        JOIN hubs h ON h.opened <= p.period_end
            AND (h.closed IS NULL OR h.closed > p.period_end)
            AND h.hub_kind IN ('locality', 'assessment', 'disabled_children')
        UNION
        SELECT period_end, hub_id, FALSE FROM agg WHERE NOT trust
)
SELECT 'hub_allocated', f.period_end, f.hub_id, coalesce(a.num, 0), NULL, coalesce(a.num, 0)
FROM frame f
LEFT JOIN agg a ON a.period_end = f.period_end AND a.trust = f.trust
    AND a.hub_id IS NOT DISTINCT FROM f.hub_id
LEFT JOIN period_population pp ON pp.period_end = f.period_end
ORDER BY f.period_end, f.hub_id NULLS FIRST
