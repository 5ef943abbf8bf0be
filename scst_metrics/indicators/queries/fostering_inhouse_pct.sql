-- Children in foster placements (U1-U6) at the month end; in-house = provider PR1 (own LA).
SELECT period_end, NULL AS hub_id, (place_provider = 'PR1')::INT AS num, 1 AS den
FROM lac_at
WHERE place IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')
