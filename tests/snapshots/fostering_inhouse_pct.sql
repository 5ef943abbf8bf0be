
INSERT INTO indicator_values
WITH facts AS (
    SELECT period_end::DATE AS period_end, hub_id::VARCHAR AS hub_id,
        num::DOUBLE AS num, den::DOUBLE AS den
    FROM (
-- Children in foster placements (U1-U6) at the month end; in-house = provider PR1 (own LA).
SELECT period_end, NULL AS hub_id, (place_provider = 'PR1')::INT AS num, 1 AS den
FROM lac_at
WHERE place IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')

    ) q
), agg AS (
    SELECT period_end, hub_id, GROUPING(hub_id) = 1 AS trust, sum(num) AS num, sum(den) AS den
    FROM facts
    GROUP BY GROUPING SETS ((period_end, hub_id), (period_end))
    HAVING GROUPING(hub_id) = 1 OR hub_id IS NOT NULL
), frame AS (
    SELECT period_end, NULL::VARCHAR AS hub_id, TRUE AS trust FROM periods p
    
)
SELECT 'fostering_inhouse_pct', f.period_end, f.hub_id, coalesce(a.num, 0), coalesce(a.den, 0), CASE WHEN coalesce(a.den, 0) > 0 THEN 100.0 * coalesce(a.num, 0) / coalesce(a.den, 0) END
FROM frame f
LEFT JOIN agg a ON a.period_end = f.period_end AND a.trust = f.trust
    AND a.hub_id IS NOT DISTINCT FROM f.hub_id
LEFT JOIN period_population pp ON pp.period_end = f.period_end
ORDER BY f.period_end, f.hub_id NULLS FIRST
