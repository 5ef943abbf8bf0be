-- DfE: placements in the 12 months = placements (lac_episodes.placement_no; RNE S, P, T, U, B
-- start one) held on any day of the 12 months; an episode covers DECOM up to the day before
-- DEC, and a placement ending ON the first day of the 12 months (DEC = 1 April for the year to
-- 31 March) still counts: the move on that day is a move within the year it ended in.
-- DfE: Children looked after in England including adoptions, methodology, "placement
-- stability: children with three or more placements during the year" (a placement change on
-- 1 April belongs to the new year).
WITH counted AS (
    SELECT l.period_end, l.child_id, count(DISTINCT e.placement_no) AS placements
    FROM lac_at l
    JOIN periods p ON p.period_end = l.period_end
    JOIN lac_episodes e ON e.child_id = l.child_id
        AND e.decom <= l.period_end
        AND (e.dec IS NULL OR e.dec >= p.r12_start)
    GROUP BY l.period_end, l.child_id
)
SELECT c.period_end, h.hub_id, (c.placements >= 3)::INT AS num, 1 AS den
FROM counted c
LEFT JOIN child_hub_spans h ON h.child_id = c.child_id
    AND c.period_end BETWEEN h.from_date AND h.to_date
