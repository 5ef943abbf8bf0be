-- Referrals received from the first day of the month to the month end.
SELECT p.period_end, h.hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN cin_referrals r ON r.referral_date BETWEEN p.month_start AND p.period_end
LEFT JOIN child_hub_spans h ON h.child_id = r.child_id
    AND p.period_end BETWEEN h.from_date AND h.to_date
