-- 0114: app_reply_route (0111) is the one reply lookup; its two halves go.
--
-- 0111 kept app_reply_workspace and app_reply_ambiguity as wrappers over app_reply_route,
-- but nothing calls them any more: the webhooks and the tests ask app_reply_route. A
-- cross-tenant lookup that nobody uses is only surface, so the set of narrow definer
-- functions (test_rls.py) loses them.
DROP FUNCTION app_reply_workspace(text, text);
DROP FUNCTION app_reply_ambiguity(text, text);
