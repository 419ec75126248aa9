-- Reverts 0040.
ALTER TABLE messages RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
                            autovacuum_analyze_scale_factor,
                            autovacuum_vacuum_insert_scale_factor);
DROP FUNCTION sender_complete(jsonb);
DROP FUNCTION send_error(text, integer, text);
DROP FUNCTION send_retry_at(integer);
DROP FUNCTION send_retries_left(integer);
DROP FUNCTION sender_store_content(jsonb);
DROP FUNCTION sender_claim(integer, integer);
