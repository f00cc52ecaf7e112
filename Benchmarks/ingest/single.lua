-- wrk: one interaction per request, random users and items, Bearer key from the environment.
local key = os.getenv("REC_KEY")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
math.randomseed(os.time())

request = function()
  local body = string.format('{"user_id":"u%d","item_id":"i%d","interaction_type":"view"}', math.random(1, 50000), math.random(1, 40000))
  return wrk.format(nil, "/api/v1/interactions", nil, body)
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
