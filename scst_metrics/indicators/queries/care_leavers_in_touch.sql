-- OC3 care leavers aged 19-21 at 31 March (19th-21st birthday in the year), as DfE.
-- Those who died (IN_TOUCH = DIED) or returned home to parents for 6+ months (RHOM) are out of
-- the denominator, as DfE leaves them out of its care leaver percentages (DfE SSDA903 guide,
-- OC3 IN_TOUCH codes; Children looked after in England including adoptions, care leavers
-- methodology).
SELECT p.period_end, h.hub_id, coalesce(o.in_touch = 'YES', FALSE)::INT AS num, 1 AS den
FROM s903_oc3 o
JOIN periods p ON p.period_end = make_date(o.collection_year, 3, 31)
LEFT JOIN child_hub h ON h.child_id = o.child AND h.period_end = p.period_end
WHERE o.dob + INTERVAL 19 YEAR <= p.period_end
  AND o.dob + INTERVAL 22 YEAR > p.period_end
  AND coalesce(o.in_touch, '') NOT IN ('DIED', 'RHOM')
