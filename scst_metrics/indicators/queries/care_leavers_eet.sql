-- OC3 care leavers aged 19-21 at 31 March (19th-21st birthday in the year), as DfE.
SELECT p.period_end, h.hub_id, coalesce(o.activ IN ('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5'), FALSE)::INT AS num, 1 AS den
FROM s903_oc3 o
JOIN periods p ON p.period_end = make_date(o.collection_year, 3, 31)
LEFT JOIN child_hub h ON h.child_id = o.child AND h.period_end = p.period_end
WHERE o.dob + INTERVAL 19 YEAR <= p.period_end
  AND o.dob + INTERVAL 22 YEAR > p.period_end
