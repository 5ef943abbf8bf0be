-- DfE: working days from the section 47 start (day 0) to the initial conference, at most 15.
-- A conference dated before its section 47 start cannot be timed: it stays in the query's
-- rows (the count of conferences) but out of the timeliness numerator and denominator, as
-- DfE excludes negative durations (DfE: Characteristics of children in need, methodology,
-- "ICPCs within 15 working days"; CIN census S47ActualStartDate / DateOfInitialCPC).
SELECT p.period_end, h.hub_id,
    (c.icpc_date >= c.s47_start_date AND (wc.wd - ws.wd) <= 15)::INT AS num,
    (c.icpc_date >= c.s47_start_date)::INT AS den
FROM periods p
JOIN cin_initial_conferences c ON c.icpc_date BETWEEN p.r12_start AND p.period_end
JOIN working_days ws ON ws.day = c.s47_start_date
JOIN working_days wc ON wc.day = c.icpc_date
LEFT JOIN child_hub_spans h ON h.child_id = c.child_id
    AND p.period_end BETWEEN h.from_date AND h.to_date
