-- POST a status update to a random mission and subsystem; every 201 is a committed row.
-- A pool of 4,096 distinct requests is formatted once in init().
local requests = {}
local subsystems = {"comms", "propulsion", "power", "thermal", "navigation", "life-support", "payload", "attitude"}
local levels = {"NOMINAL", "NOMINAL", "NOMINAL", "WATCH", "WARNING", "CRITICAL"}

function init(args)
  local missions = tonumber(os.getenv("BENCH_MISSIONS") or "100")
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")}
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  for i = 1, 4096 do
    local body = string.format(
      '{"subsystem":"%s","level":"%s","message":"bench report %d","telemetry":{"seq":%d,"temperatureK":%.1f}}',
      subsystems[math.random(#subsystems)], levels[math.random(#levels)], i, i, 200 + math.random() * 100)
    requests[i] = wrk.format("POST", string.format("/api/v1/missions/bench-%d/updates", math.random(missions)), headers, body)
  end
end

function request()
  return requests[math.random(#requests)]
end

function done(summary, latency, requests)
  io.write(string.format("p50_ms %.2f p99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
