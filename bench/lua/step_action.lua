-- Pass the active step of a different case on every request. CASES: a file of "number version" lines,
-- split between wrk threads so no two requests act on one case.
local token = os.getenv("TOKEN") or ""
local cases = {}
for line in io.lines(os.getenv("CASES")) do
  local number, version = line:match("(%S+)%s+(%d+)")
  if number then table.insert(cases, {number, version}) end
end
local counter = 0
local threads = {}

setup = function(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

init = function(args)
  nthreads = tonumber(os.getenv("THREADS") or "2")
  idx = tid - nthreads
end

request = function()
  idx = idx + nthreads
  local c = cases[idx]
  if c == nil then c = cases[1] end
  local body = string.format('{"action": "pass_step", "version": %s, "opinion": "同意"}', c[2])
  return wrk.format("POST", "/api/v1/cases/" .. c[1] .. "/actions",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_other=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
