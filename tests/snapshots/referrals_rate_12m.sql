
INSERT INTO indicator_values
WITH facts AS (
    SELECT period_end::DATE AS period_end, hub_id::VARCHAR AS hub_id,
        num::DOUBLE AS num, den::DOUBLE AS den
    FROM (
-- Referrals in the 12 months to the month end; the denominator (population) is added by unit.
SELECT p.period_end, NULL AS hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN cin_referrals r ON r.referral_date BETWEEN p.r12_start AND p.period_end

    ) q
), agg AS (
    SELECT period_end, hub_id, GROUPING(hub_id) = 1 AS trust, sum(num) AS num, sum(den) AS den
    FROM facts
    GROUP BY GROUPING SETS ((period_end, hub_id), (period_end))
    HAVING GROUPING(hub_id) = 1 OR hub_id IS NOT NULL
), frame AS (
    SELECT period_end, NULL::VARCHAR AS hub_id, TRUE AS trust FROM periods p
    
)
SELECT 'referrals_rate_12m', f.period_end, f.hub_id, coalesce(a.num, 0), pp.population, CASE WHEN pp.population > 0 THEN 10000.0 * coalesce(a.num, 0) / pp.population END
FROM frame f
LEFT JOIN agg a ON a.period_end = f.period_end AND a.trust = f.trust
    AND a.hub_id IS NOT DISTINCT FROM f.hub_id
LEFT JOIN period_population pp ON pp.period_end = f.period_end
ORDER BY f.period_end, f.hub_id NULLS FIRST
