-- Reverts 0015.
DROP FUNCTION campaign_enqueue(uuid, uuid[]);
