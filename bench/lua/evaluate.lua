-- Evaluate a service occasion over the public API with a fresh token on every request (no two
-- requests share one, across threads). TOKENS: a file of tokens, one a line; THREADS: wrk's -t.
-- Every tenth request is a 差评 with an indicator (it opens a rectification). 201 is the only
-- expected answer; the RESULT line counts anything else as an error.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do
  if #line > 0 then table.insert(tokens, line) end
end
local stride = tonumber(os.getenv("THREADS") or "2")
local counter = 0
local threads = {}

setup = function(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

init = function(args)
  n = 0
  created = 0
  other = 0
end

request = function()
  local index = n * stride + tid
  n = n + 1
  local token = tokens[(index - 1) % #tokens + 1]
  local body
  if n % 10 == 0 then
    body = string.format('{"token": "%s", "level": "dissatisfied", "tags": ["efficiency"], "text": "等候时间长"}', token)
  else
    body = string.format('{"token": "%s", "level": "satisfied", "tags": ["attitude"], "text": ""}', token)
  end
  return wrk.format("POST", "/api/v1/public/evaluations", {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

done = function(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("other")
  end
  io.write(string.format("EVALUATIONS created=%d other=%d\n", c, o))
  io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_other=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, o,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
