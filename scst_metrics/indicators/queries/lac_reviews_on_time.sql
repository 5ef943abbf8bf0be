-- Care Planning Regulations 2010 reg. 33: first review within 20 working days of the period of
-- care starting, second within 3 months of the first, then every 6 months. Up to date when the
-- next review is not yet overdue at the month end.
WITH held AS (
    SELECT l.period_end, l.child_id, count(r.review) AS reviews, max(r.review) AS last_review
    FROM lac_at l
    JOIN working_days wp ON wp.day = l.period_end
    JOIN working_days ws ON ws.day = l.poc_start
    LEFT JOIN s903_reviews r ON r.child = l.child_id
        AND r.review >= l.poc_start AND r.review <= l.period_end
    WHERE wp.wd - ws.wd > 20
    GROUP BY l.period_end, l.child_id
)
SELECT k.period_end, h.hub_id,
    CASE
        WHEN k.reviews = 0 THEN 0
        WHEN k.reviews = 1 THEN (k.last_review + INTERVAL 3 MONTH >= k.period_end)::INT
        ELSE (k.last_review + INTERVAL 6 MONTH >= k.period_end)::INT
    END AS num,
    1 AS den
FROM held k
LEFT JOIN child_hub_spans h ON h.child_id = k.child_id
    AND k.period_end BETWEEN h.from_date AND h.to_date
