-- wrk: batches of REC_BATCH interactions (default 1,000) per request.
local key = os.getenv("REC_KEY")
local size = tonumber(os.getenv("REC_BATCH") or "1000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
math.randomseed(os.time())

-- A few distinct bodies built once, so the client's cost stays out of the measurement.
local bodies = {}
for b = 1, 8 do
  local rows = {}
  for i = 1, size do
    rows[i] = string.format('{"user_id":"u%d","item_id":"i%d","interaction_type":"click","timestamp":%d}', math.random(1, 50000), math.random(1, 40000), 1700000000 + i)
  end
  bodies[b] = '{"interactions":[' .. table.concat(rows, ",") .. ']}'
end
local n = 0

request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/interactions", nil, bodies[(n % 8) + 1])
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
  end
end

done = function(summary, latency, requests)
  io.write(string.format("events/s: %.0f\n", summary.requests / (summary.duration / 1e6) * size))
end
