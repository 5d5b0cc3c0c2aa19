-- GET a different path on every request from the PATHS file (one path per line).
local paths = {}
for line in io.lines(os.getenv("PATHS")) do table.insert(paths, line) end
local i = 0
init = function(args) i = math.random(1, #paths) end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_other=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
