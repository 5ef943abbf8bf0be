-- Referrals in the 12 months to the month end; the denominator (population) is added by unit.
SELECT p.period_end, NULL AS hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN cin_referrals r ON r.referral_date BETWEEN p.r12_start AND p.period_end
