-- DfE: working days from the section 47 start (day 0) to the initial conference, at most 15.
SELECT p.period_end, h.hub_id, ((wc.wd - ws.wd) <= 15)::INT AS num, 1 AS den
FROM periods p
JOIN cin_initial_conferences c ON c.icpc_date BETWEEN p.r12_start AND p.period_end
JOIN working_days ws ON ws.day = c.s47_start_date
JOIN working_days wc ON wc.day = c.icpc_date
LEFT JOIN child_hub h ON h.child_id = c.child_id AND h.period_end = p.period_end
