-- The ONS local authority of the placement postcode is not the Trust's ($HOME_LA).
SELECT l.period_end, h.hub_id, (b.la_code <> '$HOME_LA')::INT AS num, 1 AS den
FROM lac_at l
JOIN ref_postcodes b ON b.postcode = l.pl_post
LEFT JOIN child_hub_spans h ON h.child_id = l.child_id
    AND l.period_end BETWEEN h.from_date AND h.to_date
