-- Straight-line distance between home and placement postcodes (British National Grid metres),
-- rounded to 0.1 mile as DfE does before testing "more than 20 miles" (20.04 -> 20.0: not
-- more). A child whose distance is not known (home or placement postcode missing or not
-- located by ONS) stays in the denominator: DfE publishes "distance not known" as its own
-- category of the same total (DfE: Children looked after in England including adoptions,
-- "distance between home and placement", SSDA903 HOME_POST / PL_POST).
SELECT l.period_end, h.hub_id,
    coalesce(round(sqrt(power(a.easting - b.easting, 2) + power(a.northing - b.northing, 2))
        / 1609.344, 1) > 20, FALSE)::INT AS num,
    1 AS den
FROM lac_at l
LEFT JOIN ref_postcodes a ON a.postcode = l.home_post
LEFT JOIN ref_postcodes b ON b.postcode = l.pl_post
LEFT JOIN child_hub_spans h ON h.child_id = l.child_id
    AND l.period_end BETWEEN h.from_date AND h.to_date
