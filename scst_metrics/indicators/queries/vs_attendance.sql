-- Sessions attended / possible, for the ended terms of the reporting academic year.
SELECT a.period_end, h.hub_id,
    a.sessions_possible - a.sessions_authorised_absence - a.sessions_unauthorised_absence
        AS num,
    a.sessions_possible AS den
FROM attendance_terms a
LEFT JOIN child_hub h ON h.child_id = a.child_id AND h.period_end = a.period_end
