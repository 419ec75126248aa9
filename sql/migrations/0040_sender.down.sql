-- Reverts 0040.
ALTER TABLE messages RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
                            autovacuum_analyze_scale_factor,
                            autovacuum_vacuum_insert_scale_factor);
DROP FUNCTION sender_complete(jsonb);
DROP FUNCTION sender_store_content(jsonb);
DROP FUNCTION sender_claim(integer, integer);
