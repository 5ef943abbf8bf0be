-- periods: periods
-- hub kinds: none
-- select: 'lac_rate', f.period_end, f.hub_id, coalesce(a.num, 0), pp.population, CASE WHEN pp.population > 0 THEN 10000.0 * coalesce(a.num, 0) / pp.population END
-- query:
    SELECT period_end, NULL AS hub_id, numerator AS num, NULL AS den
    FROM indicator_values WHERE indicator_id = 'lac_count' AND hub_id IS NULL
