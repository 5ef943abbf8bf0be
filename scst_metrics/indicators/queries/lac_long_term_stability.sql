-- DfE long-term stability: under 16, looked after 2.5 years or more; same placement 2 years or
-- more, or placed for adoption (A3-A6) with the adoptive and previous placement 2 years or more.
SELECT l.period_end, h.hub_id,
    (l.placement_start <= l.period_end - INTERVAL 2 YEAR
        OR (l.place IN ('A3', 'A4', 'A5', 'A6')
            AND l.prev_placement_start <= l.period_end - INTERVAL 2 YEAR))::INT AS num,
    1 AS den
FROM lac_at l
LEFT JOIN child_hub_spans h ON h.child_id = l.child_id
    AND l.period_end BETWEEN h.from_date AND h.to_date
WHERE l.dob + INTERVAL 16 YEAR > l.period_end
  AND l.poc_start <= l.period_end - INTERVAL 30 MONTH
