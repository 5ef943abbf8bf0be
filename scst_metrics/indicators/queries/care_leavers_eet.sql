-- Care leavers aged 19-21 at 31 March, as DfE counts them (helpers.py: care_leavers_19_21).
SELECT period_end, hub_id, coalesce(activ IN ('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5'), FALSE)::INT AS num, 1 AS den
FROM care_leavers_19_21
