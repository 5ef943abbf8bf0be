-- On a CIN plan at the month end for 20+ working days; visited in the 20 working days to then.
SELECT v.period_end, h.hub_id, coalesce(v.visit_wd_ago < 20, FALSE)::INT AS num, 1 AS den
FROM plan_visits v
LEFT JOIN child_hub_spans h ON h.child_id = v.child_id
    AND v.period_end BETWEEN h.from_date AND h.to_date
WHERE v.plan = 'cin' AND v.plan_wd >= 20
