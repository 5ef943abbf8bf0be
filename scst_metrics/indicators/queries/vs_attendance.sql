-- Sessions attended / possible, for the ended terms of the reporting academic year.
SELECT a.period_end, h.hub_id,
    a.sessions_possible - a.sessions_authorised_absence - a.sessions_unauthorised_absence
        AS num,
    a.sessions_possible AS den
FROM attendance_terms a
LEFT JOIN child_hub_spans h ON h.child_id = a.child_id
    AND a.period_end BETWEEN h.from_date AND h.to_date
