-- The audit log moved to pki-runtime's hash-chained audit_chain (V0_2): the unchained table goes. Nothing was
-- released with it, so its rows are not carried over.
drop table audit_entry;
