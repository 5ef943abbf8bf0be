
INSERT INTO indicator_values
WITH facts AS (
    SELECT period_end::DATE AS period_end, hub_id::VARCHAR AS hub_id,
        num::DOUBLE AS num, den::DOUBLE AS den
    FROM (
-- DfE: a re-referral is a referral within 12 months of the child's previous referral.
WITH flagged AS (
    SELECT r.child_id, r.referral_date,
        EXISTS (
            SELECT 1 FROM cin_referrals prev
            WHERE prev.child_id = r.child_id
              AND prev.referral_date < r.referral_date
              AND prev.referral_date >= r.referral_date - INTERVAL 12 MONTH
        ) AS rereferral
    FROM cin_referrals r
)
SELECT p.period_end, h.hub_id, f.rereferral::INT AS num, 1 AS den
FROM periods p
JOIN flagged f ON f.referral_date BETWEEN p.r12_start AND p.period_end
LEFT JOIN child_hub h ON h.child_id = f.child_id AND h.period_end = p.period_end

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
SELECT 'rereferrals_12m', f.period_end, f.hub_id, coalesce(a.num, 0), coalesce(a.den, 0), CASE WHEN coalesce(a.den, 0) > 0 THEN 100.0 * coalesce(a.num, 0) / coalesce(a.den, 0) END
FROM frame f
LEFT JOIN agg a ON a.period_end = f.period_end AND a.trust = f.trust
    AND a.hub_id IS NOT DISTINCT FROM f.hub_id
LEFT JOIN period_population pp ON pp.period_end = f.period_end
ORDER BY f.period_end, f.hub_id NULLS FIRST
