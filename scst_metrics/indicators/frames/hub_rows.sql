-- The per-hub rows of the scaffold ({hub_frame} in values.sql), for an indicator split by hub:
-- every hub of its kinds open at the period end, and any other hub that holds a counted child.
        UNION
        SELECT p.period_end, h.hub_id, FALSE FROM {periods} p
        JOIN hubs h ON h.opened <= p.period_end
            AND (h.closed IS NULL OR h.closed > p.period_end)
            AND h.hub_kind IN ({kinds})
        UNION
        SELECT period_end, hub_id, FALSE FROM agg WHERE NOT trust
