-- wrk script: GET /api/v1/items/{item}/similar for random Gowalla items (0..40980), 10 results.
-- usage: wrk -t1 -c32 -d10s -s similar.lua http://127.0.0.1:PORT -- plain|filtered API_KEY
math.randomseed(42)
local mode = "plain"
local key = ""

function init(args)
  if args[1] then mode = args[1] end
  if args[2] then key = args[2] end
end

function request()
  local i = math.random(0, 40980)
  local path = "/api/v1/items/" .. i .. "/similar?count=10"
  if mode == "filtered" then path = path .. "&category=c" .. (i % 50) end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. key })
end
