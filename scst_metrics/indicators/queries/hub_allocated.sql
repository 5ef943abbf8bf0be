-- Children whose case the hub held at the month end (child_hub_spans: latest allocation open).
SELECT p.period_end, h.hub_id, 1 AS num, NULL AS den
FROM periods p
JOIN child_hub_spans h ON p.period_end BETWEEN h.from_date AND h.to_date
