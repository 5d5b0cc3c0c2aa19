-- Book a slot with a new, valid resident ID number on every request (no two requests share
-- one, across threads). BUSINESS: the business type's id; SLOTS: a file of "YYYY-MM-DD HH:MM"
-- lines, taken round robin; TOKEN: a staff token (appointments.book_for_applicant).
-- 201 booked and 409 slot_full are both expected answers; the RESULT line counts both.
local token = os.getenv("TOKEN") or ""
local business = os.getenv("BUSINESS")
local slots = {}
for line in io.lines(os.getenv("SLOTS")) do
  local d, t = line:match("(%S+)%s+(%S+)")
  if d then table.insert(slots, {d, t}) end
end
local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = "10X98765432"
local counter = 0
local threads = {}

setup = function(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

init = function(args)
  n = 0
  booked = 0
  full = 0
  other = 0
end

local function id_number(k)
  -- birth date 1950-01-01 + k days, order code = this thread's number
  local t = os.time({year = 1950, month = 1, day = 1 + k, hour = 12})
  local body = "110101" .. os.date("%Y%m%d", t) .. string.format("%03d", tid)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(body:sub(i, i)) * weights[i] end
  local m = sum % 11 + 1
  return body .. checks:sub(m, m)
end

request = function()
  n = n + 1
  local slot = slots[(n * 7 + tid) % #slots + 1]
  local body = string.format(
    '{"business": %s, "date": "%s", "start": "%s", "id_number": "%s", "name": "张三", "phone": "13800138000"}',
    business, slot[1], slot[2], id_number(n))
  return wrk.format("POST", "/api/v1/public/appointments",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

response = function(status, headers, body)
  if status == 201 then booked = booked + 1
  elseif status == 409 and body:find("slot_full", 1, true) then full = full + 1
  else other = other + 1 end
end

done = function(summary, latency, requests)
  local b, f, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    b = b + thread:get("booked")
    f = f + thread:get("full")
    o = o + thread:get("other")
  end
  io.write(string.format("BOOKINGS booked=%d full=%d other=%d\n", b, f, o))
  io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_other=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, o,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
