-- 0001 base: enum types and the shared updated_at trigger function.
--
-- No extension is needed: gen_random_uuid() is built into PostgreSQL 13+, and emails are
-- kept lowercase by CHECK constraints rather than citext (one fewer thing to install).
-- Enum values are UPPERCASE because the C code and the templates print them as they are.

CREATE TYPE workspace_plan  AS ENUM ('FREE', 'STARTER', 'PROFESSIONAL', 'ENTERPRISE');
CREATE TYPE user_role       AS ENUM ('OWNER', 'DOCTOR', 'RECEPTIONIST');
CREATE TYPE campaign_status AS ENUM ('DRAFT', 'ACTIVE', 'COMPLETED', 'CANCELLED');
-- One channel type for patients.preferred_channel, messages.channel and opt_outs.channel.
CREATE TYPE message_channel AS ENUM ('SMS', 'WHATSAPP', 'EMAIL');
-- Also the type of templates.type: a template is the text of one kind of message.
CREATE TYPE message_type    AS ENUM ('INITIAL', 'FOLLOWUP_HAPPY', 'FOLLOWUP_UNHAPPY', 'REMINDER');
CREATE TYPE message_status  AS ENUM ('PENDING', 'SENDING', 'SENT', 'DELIVERED', 'FAILED',
                                     'REPLIED', 'CANCELLED');

-- One trigger function for every table's updated_at. It always overwrites the column, so a
-- caller cannot backdate a row by setting updated_at itself. now() is the transaction's
-- start time, which keeps every row touched by one transaction consistent.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
