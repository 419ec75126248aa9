-- wrk script for tests/bench/webhooks.sh: POSTs pre-signed Twilio callbacks, one per
-- line of the file named by BENCH_REQUESTS ("form body<TAB>X-Twilio-Signature"), in
-- order, each once until the list wraps. Reports like wrk_report.lua.
local reqs, i = {}, 0

init = function(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local body, sig = line:match("^(.-)\t(.+)$")
    reqs[#reqs + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = sig,
    }, body)
  end
end

-- BENCH_PACE_MS > 0: each connection waits that long before each request, so the load is
-- below saturation; wrk times a request from its sending, so the wait is not counted.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "") or 0
if pace > 0 then
  delay = function() return pace end
end

request = function()
  i = i % #reqs + 1
  return reqs[i]
end

dofile(os.getenv("BENCH_DIR") .. "/wrk_report.lua")
