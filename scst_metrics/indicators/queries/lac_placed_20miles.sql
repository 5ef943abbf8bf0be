-- Straight-line distance between home and placement postcodes (British National Grid metres).
SELECT l.period_end, h.hub_id,
    (sqrt(power(a.easting - b.easting, 2) + power(a.northing - b.northing, 2)) / 1609.344
        > 20)::INT AS num,
    1 AS den
FROM lac_at l
JOIN ref_postcodes a ON a.postcode = l.home_post
JOIN ref_postcodes b ON b.postcode = l.pl_post
LEFT JOIN child_hub h ON h.child_id = l.child_id AND h.period_end = l.period_end
