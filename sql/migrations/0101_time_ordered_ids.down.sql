-- 0101 down: random ids again (rows keep the ids they were given).
ALTER TABLE patients ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER TABLE messages ALTER COLUMN id SET DEFAULT gen_random_uuid();
DROP FUNCTION uuid_v7();
