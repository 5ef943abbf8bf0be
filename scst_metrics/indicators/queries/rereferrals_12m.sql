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
