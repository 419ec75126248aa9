DROP TABLE webhook_events;
DROP TABLE opt_outs;
DROP TABLE feedback;
DROP TABLE messages;
