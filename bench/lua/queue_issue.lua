-- Issue queue tickets over the API with the ticket dispenser's bearer token (TOKEN), rotating over
-- the business letters (LETTERS), one a request; any answer of 400 or more counts as an error.
local token = os.getenv("TOKEN") or ""
local letters = os.getenv("LETTERS") or "Q"
local n = 0

request = function()
  n = n + 1
  local i = (n - 1) % #letters + 1
  local body = string.format('{"business": "%s", "priority": false, "phone": ""}', letters:sub(i, i))
  return wrk.format("POST", "/api/v1/queue/tickets", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_other=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
