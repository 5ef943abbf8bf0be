-- DfE: a re-referral is a referral within 12 months of the child's previous referral.
-- The latest earlier referral of the child by a window (not a look-up per referral: at England
-- size that is 15 million look-ups, beyond DuckDB's memory).
WITH flagged AS (
    SELECT r.child_id, r.referral_date,
        coalesce(max(r.referral_date) OVER (
            PARTITION BY r.child_id ORDER BY r.referral_date
            RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL 1 DAY PRECEDING)
            >= r.referral_date - INTERVAL 12 MONTH, FALSE) AS rereferral
    FROM cin_referrals r
)
SELECT p.period_end, h.hub_id, f.rereferral::INT AS num, 1 AS den
FROM periods p
JOIN flagged f ON f.referral_date BETWEEN p.r12_start AND p.period_end
LEFT JOIN child_hub_spans h ON h.child_id = f.child_id
    AND p.period_end BETWEEN h.from_date AND h.to_date
