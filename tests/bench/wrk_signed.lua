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

request = function()
  i = i % #reqs + 1
  return reqs[i]
end

dofile(os.getenv("BENCH_DIR") .. "/wrk_report.lua")
