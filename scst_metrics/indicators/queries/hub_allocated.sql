-- Children whose case the hub held at the month end (child_hub: latest allocation open then).
SELECT period_end, hub_id, 1 AS num, NULL AS den
FROM child_hub
