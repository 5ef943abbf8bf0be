-- Care leavers aged 19-21 at 31 March, as DfE counts them (helpers.py: care_leavers_19_21).
SELECT period_end, hub_id, coalesce(in_touch = 'YES', FALSE)::INT AS num, 1 AS den
FROM care_leavers_19_21
